from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditFrozenApproval(CreditGradingCommon):
    """Approved is approved (issue 8, item 7): the grade the approvers approved
    stays what it was when the grade table changes afterwards."""

    def _approved(self):
        evaluation = self._evaluation(32, 25, 28, user=self.salesperson)  # 85 points: AA
        self.assertEqual(evaluation.grade_id, self.grade["AA"])
        evaluation.proposed_limit = 150000
        evaluation.action_submit()
        evaluation = evaluation.with_user(self.env.user)
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "approved")
        return evaluation

    def _change_bands(self):
        """A new grade between AAA and AA whose band holds 85 points, and AA
        needing more than 85: any evaluation graded again lands elsewhere."""
        self.table.sudo().write(
            {
                "grade_ids": [
                    Command.create(
                        {
                            "code": "AA+",
                            "name": "Very good",
                            "sequence": 15,
                            "min_score": 84,
                            "max_limit": 400000,
                            "default_limit": 250000,
                            "max_term_days": 50,
                        }
                    )
                ]
            }
        )
        self.grade["AA"].sudo().min_score = 83
        self.env.flush_all()

    def test_approved_grade_survives_table_change(self):
        evaluation = self._approved()
        self._change_bands()
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.grade_id, self.grade["AA"], "what the approvers approved")
        self.assertEqual(evaluation.grade_table_id, self.table)
        self.assertEqual(self.customer.with_company(self.company).credit_grade_id, self.grade["AA"])

    def test_submitted_grade_frozen_draft_follows_table(self):
        submitted = self._evaluation(32, 25, 28, user=self.salesperson)
        submitted.action_submit()
        other = self.env["res.partner"].create({"name": "CPG Other", "is_company": True})
        self._establish_customer(other)
        draft = self._evaluation(32, 25, 28, partner=other, user=self.salesperson)
        self._change_bands()
        (submitted | draft).invalidate_recordset()
        self.assertEqual(submitted.grade_id, self.grade["AA"], "submitted: the approvers see what was submitted")
        self.assertEqual(draft.grade_id.code, "AA+", "a draft is graded with the current table")
        # Back to draft, the evaluation is graded again, and frozen anew when submitted again.
        submitted.with_user(self.salesperson).action_draft()
        self.assertEqual(submitted.grade_id.code, "AA+")
        submitted.with_user(self.salesperson).write({"proposed_limit": 250000, "proposed_term_days": 50})
        submitted.with_user(self.salesperson).action_submit()
        self.assertEqual(submitted.frozen_grade_id.code, "AA+")

    def test_frozen_grade_not_writable_by_client(self):
        evaluation = self._evaluation(32, 25, 28, user=self.salesperson)
        evaluation.action_submit()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).write({"frozen_grade_id": self.grade["AAA"].id})
        with self.assertRaises(AccessError):
            self._evaluation(32, 25, 28, user=self.salesperson, frozen_grade_id=self.grade["AAA"].id)
