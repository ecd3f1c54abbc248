from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditApprovalChain(CreditGradingCommon):
    def _submitted(self, limit):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)  # AA
        evaluation.proposed_limit = limit
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "to_approve")
        return evaluation.with_user(self.env.user)

    def test_chain_below_threshold_has_no_general_manager(self):
        evaluation = self._submitted(150000)
        self.assertEqual(
            evaluation.review_ids.sorted("sequence").mapped("definition_id"),
            self.env.ref("credit_policy.tier_definition_evaluation_regional_manager")
            | self.env.ref("credit_policy.tier_definition_evaluation_sales_manager")
            | self.env.ref("credit_policy.tier_definition_evaluation_finance"),
        )

    def test_chain_above_threshold_needs_general_manager(self):
        evaluation = self._submitted(250000)
        self.assertEqual(len(evaluation.review_ids), 4)
        self.assertEqual(
            evaluation.review_ids.sorted("sequence")[-1].definition_id,
            self.env.ref("credit_policy.tier_definition_evaluation_general_manager"),
        )
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "to_approve", "the general manager has not approved yet")
        self._validate_as(evaluation, self.general_manager, "Final: agreed")
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(
            self.customer.with_company(self.company).credit_limit, 250000
        )
        self.assertEqual(evaluation.review_ids.sorted("sequence")[-1].comment, "Final: agreed")

    def test_salesperson_cannot_approve(self):
        evaluation = self._submitted(150000)
        self._validate_as(evaluation, self.salesperson)
        self.assertFalse(evaluation.review_ids.filtered(lambda r: r.status == "approved"))
        self.assertEqual(evaluation.state, "to_approve")
        as_sales = evaluation.with_user(self.salesperson)
        with self.assertRaises(AccessError):
            as_sales.write({"state": "approved"})
        with self.assertRaises(AccessError):
            as_sales.action_approve()
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 0)

    def test_reviewers_in_order(self):
        evaluation = self._submitted(150000)
        self._validate_as(evaluation, self.finance)
        self.assertFalse(evaluation.review_ids.filtered(lambda r: r.status == "approved"))
        self._validate_as(evaluation, self.regional_manager)
        self.assertEqual(len(evaluation.review_ids.filtered(lambda r: r.status == "approved")), 1)

    def test_approval_applies_grade_limit_term_and_history(self):
        evaluation = self._submitted(150000)
        for user in (self.regional_manager, self.sales_manager):
            self._validate_as(evaluation, user)
        with self.assertRaises(ValidationError):
            # Under validation the proposal is frozen.
            evaluation.with_user(self.salesperson).proposed_limit = 10
        self._validate_as(evaluation, self.finance)
        self.assertEqual(evaluation.state, "approved")
        partner = self.customer.with_company(self.company)
        self.assertRecordValues(
            partner,
            [{"credit_grade_id": self.grade["AA"].id, "credit_limit": 150000, "credit_term_days": 45}],
        )
        self.assertEqual(partner.credit_last_review_date, evaluation.approved_date.date())
        self.assertTrue(partner.credit_next_review_date > partner.credit_last_review_date)
        history = evaluation.history_ids
        self.assertRecordValues(
            history,
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "old_grade_id": False,
                    "new_grade_id": self.grade["AA"].id,
                    "old_limit": 0,
                    "new_limit": 150000,
                    "new_term_days": 45,
                    "user_id": self.finance.id,
                }
            ],
        )
        with self.assertRaises(AccessError):
            partner._credit_policy_set_master_data({"credit_limit": 1}, "again", evaluation=evaluation)

    def test_rejection_and_reset(self):
        evaluation = self._submitted(150000)
        action = evaluation.with_user(self.regional_manager).reject_tier()
        self.env["comment.wizard"].with_user(self.regional_manager).with_context(action["context"]).create(
            {"comment": "Not enough guarantees"}
        ).add_comment()
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.validation_status, "rejected")
        evaluation.with_user(self.salesperson).action_draft()
        self.assertEqual(evaluation.state, "draft")
        self.assertFalse(evaluation.review_ids)

    def test_credit_manager_approves_when_no_tier_applies(self):
        self.env["tier.definition"].search([("model", "=", "credit.policy.evaluation")]).active = False
        evaluation = self._submitted(150000)
        self.assertFalse(evaluation.review_ids)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).action_approve()
        evaluation.with_user(self.credit_manager).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(self.customer.with_company(self.company).credit_grade_id, self.grade["AA"])
        with self.assertRaises(UserError):
            evaluation.unlink()
