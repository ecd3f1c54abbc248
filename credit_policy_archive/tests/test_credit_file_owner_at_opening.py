from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileOwnerAtOpening(CreditFileCommon):
    """Whoever opens a file owns it, whatever default a client sets: only a
    Credit Manager opens one for someone else."""

    def test_a_default_owner_does_not_open_a_file_for_someone_else(self):
        # The department manager may change his department's files: the
        # record rules alone let him open one in someone else's name.
        partner = self.env["res.partner"].create({"name": "CPA defaults", "is_company": True})
        File = self.env["credit.policy.archive.file"].with_user(self.dept_manager)
        vals = {"partner_id": partner.id, "team_id": self.team.id}
        with self.assertRaises(AccessError):
            File.with_context(default_owner_id=self.colleague.id).create(vals)
        self.env["ir.default"].with_user(self.dept_manager).set(
            "credit.policy.archive.file", "owner_id", self.colleague.id, user_id=self.dept_manager.id
        )
        with self.assertRaises(AccessError):
            File.create(vals)
        self.assertFalse(File.sudo().search([("partner_id", "=", partner.id)]))
        opened = self.env["credit.policy.archive.file"].with_user(self.credit_manager).with_context(
            default_owner_id=self.colleague.id
        ).create({"partner_id": partner.id})
        self.assertEqual(opened.owner_id, self.colleague)

    def test_a_customer_without_file_tells_who_opens_it(self):
        newcomer = self.env["res.partner"].create({"name": "No File Yet Ltd", "is_company": True})
        with self.assertRaisesRegex(UserError, "its salesperson or a Credit Manager opens it"):
            newcomer.with_user(self.warehouse).action_view_credit_file()
        action = newcomer.with_user(self.owner).action_view_credit_file()
        self.assertEqual((action["res_model"], action["res_id"]), ("credit.policy.archive.file", False))
