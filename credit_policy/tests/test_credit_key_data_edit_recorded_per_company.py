from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import RpcMixin
from .test_credit_settings_access import CreditSettingsCommon


@tagged("post_install", "-at_install")
class TestCreditKeyDataEditRecordedPerCompany(RpcMixin, CreditSettingsCommon, HttpCase):
    """Which customer data counts as key data is a company's credit setting:
    a Credit Manager of one company editing a key data record (its field,
    archiving or deleting it) must not silently change what another company
    counts as key data, nor change any company's setting without a row in the
    settings' change log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls.env.ref("credit_policy.credit_policy_key_data_phone")
        cls.other_company.credit_key_data_ids = cls.phone
        cls.company.credit_key_data_ids = cls.phone

    def _changes(self, company):
        return self.env["credit.policy.settings.change"].search([("company_id", "=", company.id)])

    def _attempt(self, method, args):
        """The manager of the first company alone calls ``method``; return
        whether the server refused it."""
        self.assertNotIn(self.other_company, self.credit_manager.company_ids)
        try:
            self._call(self.credit_manager, "credit.policy.key.data", method, args)
        except JsonRpcException:
            return True
        return False

    def _assert_refused_or_recorded(self, method, args):
        before = self._changes(self.other_company)
        refused = self._attempt(method, args)
        what = self.other_company.with_company(self.other_company).credit_key_data_ids.mapped("field_name")
        self.assertTrue(
            refused or (what == ["phone"]) or (self._changes(self.other_company) - before),
            f"{method} by another company's Credit Manager changed the other company's key data to {what} "
            "without its change log recording it",
        )

    def test_changing_the_field_of_a_key_data(self):
        self._assert_refused_or_recorded("write", [self.phone.ids, {"field_name": "website"}])

    def test_archiving_a_key_data(self):
        self._assert_refused_or_recorded("action_archive", [self.phone.ids])

    def test_deleting_a_key_data(self):
        self._assert_refused_or_recorded("unlink", [self.phone.ids])
