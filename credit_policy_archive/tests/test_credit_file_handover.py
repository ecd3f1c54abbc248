from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileHandover(CreditFileCommon):
    """Files never leave with their owner and are never ownerless (seed 003)."""

    def _handover(self, user, **vals):
        return self.env["credit.policy.archive.handover.wizard"].with_user(user).create(
            {"from_user_id": self.owner.id, "to_user_id": self.colleague.id, "reason": "Leaves the company", **vals}
        )

    def test_owner_with_files_cannot_be_archived_until_handed_over(self):
        with self.assertRaisesRegex(UserError, "hand them over"):
            self.owner.action_archive()
        with self.assertRaisesRegex(UserError, "hand them over"):
            self.owner.write({"active": False})
        self._handover(self.credit_manager).action_confirm()
        self.owner.action_archive()
        self.assertFalse(self.owner.active)

    def test_handover_moves_every_file_and_the_customers_salesperson(self):
        wizard = self._handover(self.regional_manager)
        self.assertEqual(wizard.file_count, len(self.files))
        wizard.action_confirm()
        for file in self.files.values():
            self.assertEqual(file.owner_id, self.colleague)
            self.assertEqual(file.partner_id.user_id, self.colleague)
            self.assertIn("Leaves the company", file.sudo().message_ids[0].body)
        self.assertFalse(
            self.env["credit.policy.archive.file"].sudo().with_context(active_test=False).search(
                [("owner_id", "=", False)]
            )
        )

    def test_only_credit_manager_or_regional_manager_hands_over(self):
        with self.assertRaises(AccessError):
            self._handover(self.dept_manager)

    def test_a_file_is_never_ownerless(self):
        with self.assertRaises(ValidationError):
            self.files["personal"].with_user(self.credit_manager).write({"owner_id": False})
        with self.assertRaises(AccessError):
            self.files["personal"].with_user(self.credit_manager).write({"owner_id": self.colleague.id})

    def test_regional_manager_assigns_unowned_customers(self):
        partner = self.env["res.partner"].create({"name": "CPA unowned", "is_company": True})
        wizard = self.env["credit.policy.archive.handover.wizard"].with_user(self.regional_manager).create(
            {"mode": "assign", "partner_ids": [(6, 0, partner.ids)], "to_user_id": self.other_salesman.id,
             "reason": "New territory"}
        )
        wizard.action_confirm()
        self.assertEqual(partner.user_id, self.other_salesman)
