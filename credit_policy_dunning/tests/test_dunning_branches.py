from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.credit_policy.tests.common import create_branch

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningBranches(DunningCommon):
    """Dunning works per credit control area, as the credit check does: a
    branch's invoices are dunned in its parent company's run, on the parent's
    ladder, and the stage they set is the one the check reads for the
    branch's documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = create_branch(cls.env, cls.company, "Dunning Branch")
        cls.controller.company_ids |= cls.branch
        cls.company.credit_dunning_max_letters = 3

    def test_branch_invoices_are_dunned_in_the_parent_companys_run(self):
        invoice = self._overdue_invoice(self.customer, 10000.0, 70, company=self.branch)
        line = self._line(self._run())
        self.assertEqual(line.move_line_ids.move_id, invoice)
        self.assertEqual((line.stage_id, line.amount_total), (self.stages[5], 10000.0))
        self.assertEqual(self._stage(), self.stages[5])
        # A document of the branch is checked in the parent's area: stopped.
        result = self.env["credit.policy.check"]._evaluate(self.customer, company=self.branch)
        self.assertEqual(result.figures["dunning_stage_id"], self.stages[5].id)
        self.assertEqual(result.figures["dunning_letter_count"], 1)
        self.assertIn("dunning_orders", result.failure_codes)

    def test_branch_has_no_ladder_nor_run_of_its_own(self):
        Ladder = self.env["credit.policy.dunning.ladder"]
        self.assertFalse(Ladder.with_context(active_test=False).search([("company_id", "=", self.branch.id)]))
        with self.assertRaisesRegex(ValidationError, "is a branch"):
            Ladder.create({"name": "Branch Ladder", "company_id": self.branch.id})
        self._overdue_invoice(self.customer, 500.0, 20, company=self.branch)
        with self.assertRaisesRegex(UserError, "is a branch"):
            self._prepare(company=self.branch)

    def test_branch_salesperson_phones_the_customer(self):
        branch_salesperson = new_test_user(
            self.env,
            "dun_branch_sales",
            groups="sales_team.group_sale_salesman",
            company_id=self.branch.id,
            company_ids=[Command.set(self.branch.ids)],
        )
        self.customer.user_id = branch_salesperson
        self._overdue_invoice(self.customer, 500.0, 5, company=self.branch)
        line = self._line(self._run())
        self.assertEqual(line.stage_id, self.stages[1])
        self.assertEqual(line.sudo().activity_id.user_id, branch_salesperson)
