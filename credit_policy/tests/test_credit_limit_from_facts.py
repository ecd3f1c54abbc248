from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CreditGradingCommon, RpcMixin, create_branch


class CreditFactsCommon(CreditGradingCommon):
    """Invoices and payments of the customer in the main company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_facts_window_months = 12
        cls.company.credit_max_limit_increase_percent = 20.0
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.gm_tier = cls.env.ref("credit_policy.tier_definition_evaluation_general_manager")

    def _invoice(self, amount, days_ago, due_days=30, partner=None, company=None):
        invoice_date = self.today - timedelta(days=days_ago)
        move = self.env["account.move"].with_company(company or self.company).create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "company_id": (company or self.company).id,
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date + timedelta(days=due_days),
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        move.action_post()
        return move

    def _pay(self, invoice, amount, after_days):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": amount, "payment_date": invoice.invoice_date + timedelta(days=after_days)}
        )._create_payments()

    def _history(self, *payments):
        """One invoice per ``(amount, days to pay)``, 200 days ago, paid in full."""
        for amount, days in payments:
            self._pay(self._invoice(amount, 200), amount, days)

    def _aa(self, **vals):
        return self._evaluation(30, 24, 26, user=self.salesperson, **vals)  # AA


@tagged("post_install", "-at_install")
class TestCreditLimitFromFacts(CreditFactsCommon):
    def test_facts_and_band_within_30_days(self):
        self._history((60000, 30), (60000, 10))
        evaluation = self._aa()
        self.assertEqual(evaluation.grade_id, self.grade["AA"])
        self.assertTrue(evaluation.facts_has_history)
        self.assertEqual(evaluation.facts_monthly_shipments, 10000)
        self.assertEqual(evaluation.facts_monthly_payments, 10000)
        self.assertAlmostEqual(evaluation.facts_days_to_pay, 20.0)
        self.assertEqual(evaluation.facts_on_time_percent, 100.0)
        self.assertEqual(evaluation.facts_limit_factor, 1.0)
        self.assertEqual(evaluation.computed_limit, 10000)
        self.assertEqual(evaluation.proposed_limit, 10000, "the proposal starts from the facts")
        self.assertIn("factor 1.0", evaluation.computed_limit_rule)

    def test_band_boundary_is_inclusive(self):
        # 30 days exactly: still the first band of AA.
        self._history((120000, 30))
        self.assertEqual(self._aa().facts_limit_factor, 1.0)

    def test_days_to_pay_weighted_by_amount(self):
        # (90000 x 30 + 30000 x 34) / 120000 = 31 days: the 45-day band, 0.75.
        self._history((90000, 30), (30000, 34))
        evaluation = self._aa()
        self.assertAlmostEqual(evaluation.facts_days_to_pay, 31.0)
        self.assertEqual(evaluation.facts_on_time_percent, 75.0)
        self.assertEqual(evaluation.facts_limit_factor, 0.75)
        self.assertEqual(evaluation.computed_limit, 7500)

    def test_slow_payer_last_band(self):
        self._history((120000, 46))
        evaluation = self._aa()
        self.assertEqual(evaluation.facts_limit_factor, 0.5)
        self.assertEqual(evaluation.computed_limit, 5000)

    def test_limit_within_monthly_payments(self):
        # Seed 002: the limit stays within the shipments and the payments,
        # even when a band kept from an older version carries a factor above 1.
        self.env.cr.execute(
            "UPDATE credit_policy_grade_limit_band SET factor = 2.0 WHERE grade_id = %s", [self.grade["AA"].id]
        )
        self.env["credit.policy.grade.limit.band"].invalidate_model(["factor"])
        invoice = self._invoice(120000, 200)
        self._pay(invoice, 60000, 20)
        evaluation = self._aa()
        self.assertEqual(evaluation.facts_monthly_shipments, 10000)
        self.assertEqual(evaluation.facts_monthly_payments, 5000)
        self.assertEqual(evaluation.computed_limit, 5000)
        self.assertIn("average monthly shipments and payments", evaluation.computed_limit_rule)

    def test_band_factor_between_zero_and_one(self):
        band = self.grade["AA"].limit_band_ids[:1]
        for factor in (1.01, -0.1):
            with self.subTest(factor=factor), self.assertRaisesRegex(ValidationError, "between 0 and 1"):
                band.factor = factor
        band.factor = 1.0

    def test_window_setting(self):
        self._history((60000, 10))  # 200 days ago: outside a 6-month window
        self._pay(self._invoice(60000, 100), 60000, 10)
        self.company.credit_facts_window_months = 6
        evaluation = self._aa()
        self.assertEqual(evaluation.facts_window_months, 6)
        self.assertEqual(evaluation.facts_monthly_shipments, 10000)

    def test_capped_by_grade_maximum(self):
        self._history((12000000, 10))
        evaluation = self._aa()
        self.assertEqual(evaluation.computed_limit, self.grade["AA"].max_limit)
        self.assertIn("maximum", evaluation.computed_limit_rule)

    def test_customer_without_record_gets_the_grade_default(self):
        evaluation = self._aa()
        self.assertFalse(evaluation.facts_has_history)
        self.assertEqual(evaluation.computed_limit, self.grade["AA"].default_limit)
        # No record to deviate from: any limit within the grade, no reason asked.
        evaluation.proposed_limit = 150000
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "to_approve")

    def test_group_head_is_judged_on_its_groups_record(self):
        member = self.env["res.partner"].create({"name": "Buying Member", "is_company": True})
        member.credit_group_head_id = self.customer
        self._pay(self._invoice(60000, 200, partner=member), 60000, 10)
        self._pay(self._invoice(60000, 200), 60000, 30)  # the head's own
        evaluation = self._aa()
        self.assertFalse(evaluation._is_new_customer())
        self.assertEqual(evaluation.facts_monthly_shipments, 10000, "the group's 120,000 over 12 months")
        self.assertAlmostEqual(evaluation.facts_days_to_pay, 20.0, msg="weighted by the payments")
        self.assertEqual(evaluation.facts_on_time_percent, 100.0)

    def test_grade_requiring_collateral_proposes_within_it(self):
        self.grade["AA"].collateral_required = True
        self.customer._credit_policy_set_master_data({"credit_collateral_value": 10000}, reason="Mortgage deed")
        without_record = self._aa()
        self.assertEqual(without_record.computed_limit, 10000, "not the grade's default")
        self.assertIn("collateral", without_record.computed_limit_rule)
        without_record.sudo().unlink()
        self._history((120000, 30), (120000, 10))  # 1.0 x 20,000 = 20,000 from the record
        evaluation = self._aa()
        self.assertEqual((evaluation.computed_limit, evaluation.proposed_limit), (10000, 10000))
        self.assertIn("collateral", evaluation.computed_limit_rule)
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "to_approve", "the proposal from the facts holds")

    def test_other_company_and_other_customer_do_not_count(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        self._pay(self._invoice(120000, 200, partner=other), 120000, 5)
        self.assertFalse(self._aa().facts_has_history)

    def test_branch_invoices_are_the_customers_record(self):
        branch = create_branch(self.env, self.company, "Facts Branch")
        buyer = self.env["res.partner"].create({"name": "Branch Buyer", "is_company": True})
        self.assertTrue(self._aa(partner=buyer)._is_new_customer())
        self._pay(self._invoice(120000, 200, partner=buyer, company=branch), 120000, 10)
        evaluation = self._aa(partner=buyer)
        self.assertFalse(evaluation._is_new_customer(), "invoiced by the branch")
        self.assertTrue(evaluation.facts_has_history)
        self.assertEqual(evaluation.facts_monthly_shipments, 10000)
        self.assertEqual(evaluation.facts_monthly_payments, 10000)

    def test_deviation_needs_a_reason_and_stays_within_the_grade(self):
        self._history((120000, 10))
        evaluation = self._aa()
        evaluation.proposed_limit = 30000
        with self.assertRaisesRegex(ValidationError, "reason for another limit"):
            evaluation.action_submit()
        evaluation.limit_deviation_reason = "New product line doubles the volume."
        evaluation.proposed_limit = self.grade["AA"].max_limit + 1
        with self.assertRaisesRegex(ValidationError, "exceeds the maximum"):
            evaluation.action_submit()
        evaluation.proposed_limit = 30000
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "to_approve")
        self.assertEqual(evaluation.limit_deviation_reason, "New product line doubles the volume.")

    def test_facts_frozen_at_submission(self):
        self._history((120000, 10))
        evaluation = self._aa()
        evaluation.action_submit()
        self.assertEqual(evaluation.computed_limit, 10000)
        self._history((240000, 10))
        evaluation.invalidate_recordset()
        evaluation.env.add_to_compute(evaluation._fields["computed_limit"], evaluation)
        self.assertEqual(evaluation.computed_limit, 10000)
        self.assertEqual(evaluation.facts_monthly_shipments, 10000)
        # Back to draft: read again.
        evaluation.with_user(self.salesperson).action_draft()
        self.assertEqual(evaluation.facts_monthly_shipments, 30000)

    def test_step_cap_requires_general_manager(self):
        self._history((600000, 10))  # 50000 a month, factor 1: 50000
        self.customer.with_company(self.company).sudo().credit_limit = 40000
        evaluation = self._aa()
        self.assertEqual(evaluation.step_cap_limit, 48000)
        self.assertEqual(evaluation.computed_limit, 48000, "the step rule caps the proposal")
        self.assertIn("48,000", evaluation.computed_limit_rule.replace("\u00a0", ""))
        self.assertFalse(evaluation.needs_general_manager)
        evaluation.write({"proposed_limit": 100000, "limit_deviation_reason": "Facts support 100000."})
        self.assertTrue(evaluation.needs_general_manager)
        self.assertIn("step cap", evaluation.general_manager_reason)
        evaluation.action_submit()
        self.assertIn(self.gm_tier, evaluation.review_ids.definition_id, "below 200000, but above the step")
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "to_approve")
        self._validate_as(evaluation, self.general_manager)
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(self.customer.with_company(self.company).sudo().credit_limit, 100000)

    def test_step_within_cap_needs_no_general_manager(self):
        self._history((600000, 10))
        self.customer.with_company(self.company).sudo().credit_limit = 50000
        evaluation = self._aa()
        evaluation.action_submit()
        self.assertNotIn(self.gm_tier, evaluation.review_ids.definition_id)


@tagged("post_install", "-at_install")
class TestCreditFactsNotForged(RpcMixin, CreditFactsCommon, HttpCase):
    def test_client_cannot_write_the_facts(self):
        self._history((120000, 10))
        evaluation = self._aa()
        for vals in ({"computed_limit": 1}, {"needs_general_manager": False}, {"facts_snapshot": {}}):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.salesperson, evaluation._name, "write", [evaluation.ids, vals])
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).write({"computed_limit": 30000})

    def test_context_default_cannot_set_the_facts(self):
        self._history((120000, 10))
        evaluation_id = self._call(
            self.salesperson,
            "credit.policy.evaluation",
            "create",
            [{"partner_id": self.customer.id, "kind": "review", "line_ids": self._lines(30, 24, 26)}],
            {"context": {"default_computed_limit": 30000, "default_facts_has_history": False,
                         "default_needs_general_manager": False}},
        )
        evaluation = self.env["credit.policy.evaluation"].browse(evaluation_id)
        self.assertEqual(evaluation.computed_limit, 10000)
        self.assertTrue(evaluation.facts_has_history)


@tagged("post_install", "-at_install")
class TestCreditLimitRules(CreditGradingCommon):
    """The pure rules of the limit from facts and the total cap on their boundaries."""

    def test_every_shipped_grade_granting_credit_has_a_factor_for_any_delay(self):
        """An established customer of any shipped table is proposed a limit
        from his record, whatever his delay, not 0 for want of a band."""
        for xmlid in ("five", "three", "four"):
            table = self.env.ref(f"credit_policy.credit_policy_grade_table_{xmlid}")
            for grade in table.grade_ids.filtered("credit_allowed"):
                with self.subTest(table=xmlid, grade=grade.code):
                    catch_all = grade.limit_band_ids.filtered(lambda band: not band.max_days_to_pay)
                    self.assertTrue(catch_all.factor, "a factor for any delay")

    def test_band_factor_boundaries(self):
        from odoo.addons.credit_policy import policy

        bands = [(0, 1.0), (45, 1.5), (30, 2.0)]
        self.assertEqual(policy.limit_band_factor(bands, 30), (2.0, 30))
        self.assertEqual(policy.limit_band_factor(bands, 30.1), (1.5, 45))
        self.assertEqual(policy.limit_band_factor(bands, 45), (1.5, 45))
        self.assertEqual(policy.limit_band_factor(bands, 46), (1.0, None))
        self.assertEqual(policy.limit_band_factor([(30, 1.0)], 31), (0.0, None), "no band: no credit")

    def test_limit_from_facts_caps(self):
        from odoo.addons.credit_policy import policy

        self.assertEqual(policy.limit_from_facts(0.5, 10000, 8000, 500000), (4000, [("facts", 4000)]))
        self.assertEqual(policy.limit_from_facts(1.0, 10000, 8000, 500000), (8000, [("facts", 8000)]))
        # 002: never above the monthly shipments and payments, whatever the factor
        self.assertEqual(
            policy.limit_from_facts(2.0, 10000, 8000, 500000), (8000, [("facts", 16000), ("monthly", 8000)])
        )
        self.assertEqual(policy.limit_from_facts(1.0, 10000, 8000, 6000)[0], 6000)
        step = policy.limit_step_cap(5000, 20)
        self.assertAlmostEqual(step, 6000)
        self.assertEqual(policy.limit_from_facts(1.0, 10000, 8000, 500000, step)[1][-1][0], "step")
        self.assertIsNone(policy.limit_step_cap(0, 20), "a first grant has no step")
        self.assertFalse(policy.above_step_cap(6000, step))
        self.assertTrue(policy.above_step_cap(6000.01, step))
        self.assertFalse(policy.above_step_cap(10**9, None))

    def test_total_cap_boundaries(self):
        from odoo.addons.credit_policy import policy

        self.assertEqual(policy.total_cap_exceeded(1000, 900, 0, 100), (False, 1000))
        self.assertTrue(policy.total_cap_exceeded(1000, 900, 0, 100.01)[0])
        self.assertFalse(policy.total_cap_exceeded(0, 900, 0, 10**9)[0], "0: no cap")
        self.assertFalse(policy.total_cap_exceeded(1000, 2000, 500, 400)[0], "lowering is always allowed")
