from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileHandoverLimits(CreditFileCommon):
    """A handover gives files to someone else than the person handing them
    over, and moves only the files of the companies he works in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "CPA Other Company"})

    def _wizard(self, user, **vals):
        return self.env["credit.policy.archive.handover.wizard"].with_user(user).create(
            {"from_user_id": self.owner.id, "to_user_id": self.colleague.id, "reason": "Leaves the company", **vals}
        )

    def _other_company_file(self, partner, owner):
        return self.env["credit.policy.archive.file"].sudo().create(
            {"partner_id": partner.id, "company_id": self.other_company.id, "owner_id": owner.id,
             "confidentiality": "company"}
        )

    def test_nobody_hands_files_over_to_himself(self):
        unowned = self.env["res.partner"].create({"name": "CPA unowned", "is_company": True})
        for user in (self.regional_manager, self.credit_manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "yourself"):
                    self._wizard(user, to_user_id=user.id).action_confirm()
                with self.assertRaisesRegex(AccessError, "yourself"):
                    self._wizard(
                        user, mode="assign", from_user_id=False, partner_ids=unowned.ids, to_user_id=user.id
                    ).action_confirm()
        for file in self.files.values():
            self.assertEqual(file.owner_id, self.owner)
        self.assertFalse(unowned.user_id)

    def test_handover_leaves_the_files_of_other_companies(self):
        self.owner.company_ids += self.other_company
        partner = self.env["res.partner"].create({"name": "CPA abroad", "is_company": True})
        abroad = self._other_company_file(partner, self.owner)
        wizard = self._wizard(self.regional_manager)
        self.assertEqual(wizard.file_count, len(self.files))
        wizard.action_confirm()
        self.assertEqual(abroad.owner_id, self.owner)
        for file in self.files.values():
            self.assertEqual(file.owner_id, self.colleague)

    def test_assigning_a_customer_leaves_its_files_in_other_companies(self):
        partner = self.env["res.partner"].create({"name": "CPA unassigned", "is_company": True})
        abroad = self._other_company_file(partner, self.other_salesman)
        self._wizard(
            self.regional_manager, mode="assign", from_user_id=False, partner_ids=partner.ids
        ).action_confirm()
        self.assertEqual(partner.user_id, self.colleague)
        self.assertEqual(abroad.owner_id, self.other_salesman)
