from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCreditDemoFromFacts(TransactionCase):
    """The demo data (setup/test always installs it) shows a limit proposed
    from a customer's invoices and payments, and an evaluation the company's
    total credit cap holds for the General Manager. Built on no base class of
    the suite: those neutralise the demo's cap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.facts_evaluation = cls.env.ref("credit_policy.credit_policy_evaluation_facts_demo")
        cls.gm_tier = cls.env.ref("credit_policy.tier_definition_evaluation_general_manager")

    def _validate_as(self, evaluation, user, comment="同意。"):
        evaluation = evaluation.with_user(user)
        action = evaluation.validate_tier()
        if action:
            self.env["comment.wizard"].with_user(user).with_context(action["context"]).create(
                {"comment": comment}
            ).add_comment()
        evaluation.invalidate_recordset()

    def test_limit_proposed_from_the_customers_record(self):
        evaluation = self.facts_evaluation
        self.assertEqual(evaluation.partner_id, self.env.ref("credit_policy.partner_facts_demo"))
        self.assertEqual(evaluation.grade_id.code, "AA")
        self.assertTrue(evaluation.facts_has_history)
        self.assertEqual(evaluation.facts_window_months, 12)
        # 2,640,000 invoiced, 2,400,000 paid over 12 months.
        self.assertEqual(evaluation.facts_monthly_shipments, 220000)
        self.assertEqual(evaluation.facts_monthly_payments, 200000)
        # (180k x 28 + 200k x 42 + 220k x 30 + 200k x 45 + 240k x 25 + 160k x 28) / 1,200k
        self.assertAlmostEqual(evaluation.facts_days_to_pay, 32.9)
        self.assertEqual(evaluation.facts_on_time_percent, 66.7)
        # The "within 45 days" band of AA: 0.75 x the smaller of 220,000 and 200,000.
        self.assertEqual(evaluation.facts_limit_factor, 0.75)
        self.assertEqual(evaluation.computed_limit, 150000)
        self.assertEqual(evaluation.proposed_limit, 150000)
        self.assertIn("45", evaluation.computed_limit_rule)
        self.assertIn("0.75", evaluation.computed_limit_rule)

    def test_total_cap_holds_the_evaluation_for_the_general_manager(self):
        evaluation = self.facts_evaluation
        self.assertEqual(self.company.credit_total_limit_cap, 500000)
        self.assertEqual(evaluation.state, "to_approve")
        self.assertTrue(evaluation.needs_general_manager)
        self.assertEqual(evaluation.total_limit_cap, 500000)
        self.assertEqual(evaluation.total_limits_after, evaluation.total_limits_before + 150000)
        self.assertGreater(evaluation.total_limits_after, 500000)
        self.assertTrue(evaluation.general_manager_reason)
        reviews = evaluation.review_ids
        gm_review = reviews.filtered(lambda r: r.definition_id == self.gm_tier)
        self.assertIn(gm_review.status, ("waiting", "pending"))
        self.assertEqual(set((reviews - gm_review).mapped("status")), {"approved"}, "the General Manager's turn")
        gm = self.env.ref("credit_policy.user_general_manager_demo")
        self._validate_as(evaluation, gm, "授信总额超限部分同意。")
        self.assertEqual(evaluation.state, "approved")
        partner = evaluation.partner_id.with_company(self.company)
        self.assertEqual(partner.credit_limit, 150000)

    def test_other_open_evaluations_stay_within_the_cap(self):
        # 红灯笼 (a new customer, 100,000) is approved without the General Manager.
        evaluation = self.env.ref("credit_policy.credit_policy_evaluation_pending_demo")
        for login in ("user_regional_manager_demo", "user_sales_manager_demo", "user_finance_demo"):
            self._validate_as(evaluation, self.env.ref(f"credit_policy.{login}"))
        self.assertEqual(evaluation.state, "approved")
        self.assertNotIn(self.gm_tier, evaluation.review_ids.definition_id)
        self.assertLessEqual(self.company._credit_total_granted_limits(), 500000)

    def test_raise_above_the_step_cap_awaits_the_general_manager(self):
        evaluation = self.env.ref("credit_policy.credit_policy_evaluation_step_general_manager_demo")
        self.assertEqual(evaluation.state, "to_approve")
        self.assertEqual(evaluation.proposed_limit, 300000)
        self.assertTrue(evaluation.needs_general_manager)
        reviews = evaluation.review_ids
        gm_review = reviews.filtered(lambda r: r.definition_id == self.gm_tier)
        self.assertIn(gm_review.status, ("waiting", "pending"))
        self.assertEqual(set((reviews - gm_review).mapped("status")), {"approved"}, "the General Manager's turn")
        self._validate_as(evaluation, self.env.ref("credit_policy.user_general_manager_demo"))
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.partner_id.with_company(self.company).credit_limit, 300000)
