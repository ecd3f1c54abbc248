from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon, CreditGradingCommon, complete_key_data


@tagged("post_install", "-at_install")
class TestCreditEvaluationApprovalBypass(CreditGradingCommon):
    """A salesperson cannot shorten or reshape the approval of an evaluation."""

    def _submitted(self, limit=150000, **vals):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson, **vals)  # AA
        evaluation.proposed_limit = limit
        evaluation.action_submit()
        return evaluation

    def test_deleting_the_remaining_reviews_skips_nothing(self):
        evaluation = self._submitted()
        self._validate_as(evaluation, self.regional_manager)
        remaining = evaluation.review_ids.filtered(lambda r: r.status != "approved")
        self.assertEqual(len(remaining), 2)
        with self.assertRaises(AccessError):
            remaining.with_user(self.salesperson).unlink()
        # Even if the steps were gone, the tiers that apply still hold the approval.
        remaining.sudo().unlink()
        with self.assertRaises(UserError):
            evaluation.with_user(self.salesperson).validate_tier()
        with self.assertRaises(UserError):
            evaluation.with_user(self.credit_manager).action_approve()
        self.assertEqual(evaluation.state, "to_approve")
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 0)

    def test_reset_to_draft_still_clears_the_reviews(self):
        evaluation = self._submitted()
        self._validate_as(evaluation, self.regional_manager)
        evaluation.with_user(self.salesperson).action_draft()
        self.assertEqual(evaluation.state, "draft")
        self.assertFalse(self.env["tier.review"].search([("model", "=", evaluation._name), ("res_id", "=", evaluation.id)]))

    def test_review_of_another_document_tier_refused(self):
        evaluation = self._submitted()
        cheap_tier = self.env.ref("credit_policy.tier_definition_temporary_limit_credit_manager")
        reviews = self.env["tier.review"].with_user(self.salesperson)
        for model, definition in (
            ("credit.policy.evaluation", cheap_tier),
            ("res.partner", self.env.ref("credit_policy.tier_definition_evaluation_regional_manager")),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                reviews.create({"model": model, "res_id": evaluation.id, "definition_id": definition.id})

    def test_submitted_proposal_frozen_even_when_skipping_the_check(self):
        evaluation = self._submitted()
        flag = self.env["credit.policy.red.flag"].create(
            {
                "partner_id": self.customer.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_sued").id,
                "evidence": "Court notice",
            }
        )
        as_sales = evaluation.with_user(self.salesperson).with_context(skip_validation_check=True)
        for vals in (
            {"proposed_limit": 250000},
            {"kind": "new"},
            {"confirmed_capital": True},  # Key Data Incomplete is the server's: refused as such
            {"red_flag_ids": [(6, 0, flag.ids)]},
            {"collateral_value": 1},
            {"proposed_term_days": 60},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                as_sales.write(vals)
        self.assertEqual(len(evaluation.review_ids), 3, "no general manager tier was skipped")
        self.assertEqual(evaluation.proposed_limit, 150000)

    def test_kind_does_not_lift_the_new_customer_cap(self):
        newcomer = self.env["res.partner"].create(
            {"name": "CPG Newcomer", "is_company": True, **complete_key_data(self.env)}
        )
        evaluation = self._evaluation(38, 28, 29, partner=newcomer, kind="review")
        self.assertEqual(evaluation.grade_id, self.grade["A"], "never approved nor invoiced: new customer")
        self._establish_customer(newcomer)
        self.assertEqual(self._evaluation(38, 28, 29, partner=newcomer).grade_id, self.grade["AAA"])

    def test_red_flag_raised_during_approval_blocks_it(self):
        evaluation = self._submitted()
        self._validate_as(evaluation, self.regional_manager)
        self._validate_as(evaluation, self.sales_manager)
        self.env["credit.policy.red.flag"].create(
            {
                "partner_id": self.customer.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_bounced_cheque").id,
                "evidence": "Returned by the bank",
            }
        )
        with self.assertRaisesRegex(UserError, "red flag"):
            self._validate_as(evaluation, self.finance)
        self.assertEqual(evaluation.state, "to_approve")
        self.assertFalse(self.customer.with_company(self.company).credit_grade_id)


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitApprovalBypass(CreditExposureCommon):
    """Temporary limits: no step skipped, no threshold split."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [cls.company.id]
        cls.salesman = new_test_user(
            cls.env, "tlb_sales", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.credit_manager = new_test_user(
            cls.env, "tlb_credit_mgr", groups="credit_policy.group_credit_policy_manager",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.general_manager = new_test_user(
            cls.env, "tlb_gm", groups="credit_policy.group_credit_policy_general_manager",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.gm_tier = cls.env.ref("credit_policy.tier_definition_temporary_limit_general_manager")

    def _submitted(self, amount):
        request = self.env["credit.policy.temporary.limit"].with_user(self.salesman).create(
            {"partner_id": self.customer.id, "amount": amount, "reason": "Big deal"}
        )
        request.action_request_approval()
        return request

    def test_deleting_the_general_manager_review_skips_nothing(self):
        request = self._submitted(60000.0)
        request.with_user(self.credit_manager).validate_tier()
        gm_review = request.review_ids.filtered(lambda r: r.definition_id == self.gm_tier)
        with self.assertRaises(AccessError):
            gm_review.with_user(self.salesman).unlink()
        gm_review.sudo().unlink()
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        with self.assertRaises(UserError):
            request.with_user(self.credit_manager).action_approve()
        self.assertEqual(request.state, "to_approve")

    def test_submitted_request_frozen_even_when_skipping_the_check(self):
        request = self._submitted(500.0)
        with self.assertRaises(UserError):
            request.with_user(self.salesman).with_context(skip_validation_check=True).write({"amount": 90000.0})
        self.assertEqual(request.amount, 500.0)

    def test_split_requests_still_reach_the_general_manager(self):
        first = self._submitted(30000.0)
        second = self._submitted(30000.0)
        self.assertEqual(len(first.review_ids), 1)
        self.assertEqual(len(second.review_ids), 1)
        first.with_user(self.credit_manager).validate_tier()
        self.assertEqual(first.state, "approved")
        # Approved meanwhile, the first one now counts: the general manager is asked.
        second.invalidate_recordset(["cumulative_amount"])
        self.assertEqual(second.cumulative_amount, 60000.0)
        second.with_user(self.credit_manager).validate_tier()
        self.assertEqual(second.state, "to_approve")
        self.assertIn(self.gm_tier, second.review_ids.definition_id)
        second.with_user(self.general_manager).validate_tier()
        self.assertEqual(second.state, "approved")
        # Submitted after an approval, the request asks the general manager at once.
        third_later = self._submitted(10000.0)
        self.assertEqual(third_later.cumulative_amount, 70000.0)
        self.assertIn(self.gm_tier, third_later.review_ids.definition_id)
