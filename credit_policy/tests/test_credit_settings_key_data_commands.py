from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import RpcMixin
from .test_credit_settings_access import CreditSettingsCommon


@tagged("post_install", "-at_install")
class TestCreditSettingsKeyDataCommands(RpcMixin, CreditSettingsCommon, HttpCase):
    """A Credit Manager chooses, in his credit settings, which key data his
    company counts; the key data definitions themselves are shared by every
    company and only administrators change them. The settings form writes the
    company as superuser: the key data it sends can only be chosen, never
    created, edited or deleted through it (RPC, as a script would)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls.env.ref("credit_policy.credit_policy_key_data_phone")
        cls.vat = cls.env["credit.policy.key.data"].search([("field_name", "=", "vat")])
        cls.other_company.credit_key_data_ids = cls.vat
        cls.company.credit_key_data_ids = cls.phone

    def _save(self, method, commands):
        """The Credit Manager saves his settings with the key data ``commands``;
        whether the server refused it."""
        try:
            with mute_logger("odoo.http"):
                if method == "create":
                    self._call(
                        self.credit_manager, "credit.policy.settings", "create",
                        [[{"credit_key_data_ids": commands}]],
                    )
                else:
                    settings_id = self._call(self.credit_manager, "credit.policy.settings", "create", [[{}]])
                    self._call(
                        self.credit_manager, "credit.policy.settings", "write",
                        [settings_id, {"credit_key_data_ids": commands}],
                    )
        except JsonRpcException:
            return True
        return False

    def test_key_data_definitions_not_edited_through_the_settings(self):
        for method in ("create", "write"):
            with self.subTest(method=method):
                self._save(method, [Command.update(self.vat.id, {"field_name": "comment"})])
                self.vat.invalidate_recordset()
                self.assertEqual(self.vat.field_name, "vat", "another company's key data retargeted")
                self._save(method, [Command.update(self.vat.id, {"active": False})])
                self.vat.invalidate_recordset()
                self.assertTrue(self.vat.active, "another company's key data archived")
                self._save(method, [Command.delete(self.vat.id)])
                self.assertTrue(self.vat.exists(), "another company's key data deleted")
                self._save(method, [Command.create({"name": "Website", "field_name": "website"})])
                self.assertFalse(
                    self.env["credit.policy.key.data"].search([("field_name", "=", "website")]),
                    "a key data definition created by a Credit Manager",
                )
        self.assertEqual(self.other_company.credit_key_data_ids, self.vat)

    def test_key_data_chosen_through_the_settings(self):
        self.assertFalse(self._save("write", [Command.link(self.vat.id), Command.unlink(self.phone.id)]))
        self.company.invalidate_recordset()
        self.assertEqual(self.company.credit_key_data_ids, self.vat)
        self.assertFalse(self._save("create", [Command.set((self.vat | self.phone).ids)]))
        self.company.invalidate_recordset()
        self.assertEqual(self.company.credit_key_data_ids, self.vat | self.phone)
