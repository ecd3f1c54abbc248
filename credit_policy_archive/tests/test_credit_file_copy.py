from contextlib import suppress

from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileCopy(RpcMixin, CreditFileCommon, HttpCase):
    """A credit file's content stays in its file: a reader does not duplicate
    it into a file of his own, which he would read after his access grant
    lapses, and whose reads would never be logged against the original."""

    def test_reader_with_an_access_grant_cannot_duplicate_the_file_into_his_own(self):
        original = self.files["personal"]
        request = self._access_request(self.other_salesman, "personal", days=1)
        request.action_submit()
        request.with_user(self.dept_manager).action_approve()
        self.assertTrue(self._can_read(self.other_salesman, original), "he reads it while his grant runs")
        decoy = self.env["res.partner"].create({"name": "CPA decoy customer", "is_company": True})
        with suppress(JsonRpcException):  # a refusal ends the attack
            self._call(
                self.other_salesman,
                original._name,
                "copy",
                [original.ids],
                {"default": {"partner_id": decoy.id, "owner_id": self.other_salesman.id}},
            )
        copies = self.env["credit.policy.archive.file"].sudo().search([("partner_id", "=", decoy.id)])
        leaked = copies.filtered(
            lambda f: f.legal_representative == original.legal_representative
            or f.registered_capital == original.registered_capital
        )
        self.assertFalse(
            leaked,
            f"{self.other_salesman.login} copied the personal file into his own file {leaked.ids} "
            f"(owner {leaked.owner_id.login}): he keeps reading it after his grant lapses",
        )

    def test_reader_with_an_access_grant_cannot_copy_the_files_content_into_his_own_file(self):
        original = self.files["personal"]
        request = self._access_request(self.other_salesman, "personal", days=1)
        request.action_submit()
        request.with_user(self.dept_manager).action_approve()
        decoy = self.env["res.partner"].create({"name": "CPA decoy customer", "is_company": True})
        own_file = self.env["credit.policy.archive.file"].with_user(self.other_salesman).create(
            {"partner_id": decoy.id, "confidentiality": "personal", "team_id": False}
        )
        for content in (original.financial_ids, original.visit_ids, original.document_ids):
            with suppress(JsonRpcException):  # a refusal ends the attack
                self._call(self.other_salesman, content._name, "copy", [content.ids], {"default": {"file_id": own_file.id}})
        own_file.invalidate_recordset()
        mine = own_file.sudo()
        copied = [f"{record._name}: {record.display_name}"
                  for record in (*mine.financial_ids, *mine.visit_ids, *mine.document_ids)]
        self.assertFalse(
            copied,
            f"{self.other_salesman.login} copied the personal file's statements, visits and documents "
            f"into his own file: {copied}",
        )
