from odoo import Command
from odoo.tests import tagged

from .common import CreditThreeGradesCommon, create_branch


@tagged("post_install", "-at_install")
class TestCreditBadDebtInABranchRefusesGradeA(CreditThreeGradesCommon):
    """A branch has no credit area of its own (test_credit_branches): a bad
    debt recorded as a red flag while working in the branch is the customer's
    bad debt in the credit area, and keeps grade A (no bad debt in two years,
    POLICY.md §1, seed 002) from the evaluation made in the root company, as
    the branch's invoices make its months of cooperation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = create_branch(cls.env, cls.company, "Bad Debt Branch")

    def test_bad_debt_flagged_in_the_branch_counts(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": self._months_ago(30),
                "company_id": self.company.id,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        flag_date = self._months_ago(6)
        self.env["credit.policy.red.flag"].with_company(self.branch).create(
            {
                "partner_id": self.customer.id,
                "company_id": self.branch.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_bad_debt").id,
                "evidence": "Goods shipped by the branch never paid",
                "date": flag_date,
            }
        ).active = False
        evaluation = self._evaluation(
            30, 24, 26, confirmed_conduct=True, confirmed_operation=True, confirmed_capital=True
        )
        self.assertEqual(evaluation.company_id, self.company)
        self.assertEqual(evaluation.facts_last_bad_debt_date, flag_date, "the branch's bad debt is the area's")
        self.assertEqual(evaluation.grade_id, self.grade_b, "a bad debt six months ago: not grade A")
