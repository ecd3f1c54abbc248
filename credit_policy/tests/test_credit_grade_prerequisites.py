from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.credit_policy import policy

from .common import CreditThreeGradesCommon


@tagged("post_install", "-at_install")
class TestCreditGradePrerequisites(CreditThreeGradesCommon):
    """Grade A of the A/B/C table needs a year of cooperation, no bad debt in
    two years, the evaluator's confirmation of conduct, operation and capital
    and, when the company sets one, yearly shipments and payments at its
    standard (POLICY.md §1, seed 002)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.confirmed = {"confirmed_conduct": True, "confirmed_operation": True, "confirmed_capital": True}

    def _invoice(self, amount, invoice_date, partner=None):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "invoice_date": invoice_date,
                "company_id": self.company.id,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount, payment_date):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": payment_date})
            ._create_payments()
        )

    def _a_scores(self, **vals):
        """An evaluation scored A (80 points, both minimums met)."""
        return self._evaluation(30, 24, 26, **vals)

    def test_seeded_grade_a_of_the_three_level_table(self):
        self.assertRecordValues(
            self.grade_a,
            [{"min_cooperation_months": 12, "bad_debt_free_years": 2, "conduct_confirmation_required": True}],
        )
        self.assertFalse(self.grade_b._has_prerequisites())
        self.assertTrue(self.env.ref("credit_policy.credit_policy_red_flag_type_bad_debt").bad_debt)

    def test_a_customer_of_less_than_a_year_is_not_graded_a(self):
        self._invoice(1000, self._months_ago(11))
        evaluation = self._a_scores(**self.confirmed)
        self.assertEqual(evaluation.facts_cooperation_months, 11)
        self.assertEqual(evaluation.grade_id, self.grade_b)
        self.assertIn("12 months of cooperation", evaluation.grade_explanation)
        self.assertIn("11 months old", evaluation.grade_explanation)

    def test_a_year_of_cooperation_and_the_confirmations_give_grade_a(self):
        self._invoice(1000, self._months_ago(13))
        evaluation = self._a_scores()
        self.assertEqual(evaluation.facts_cooperation_months, 13)
        self.assertEqual(evaluation.grade_id, self.grade_b, "the evaluator has not confirmed")
        self.assertIn("evaluator's confirmation", evaluation.grade_explanation)
        evaluation.write({"confirmed_conduct": True, "confirmed_operation": True})
        self.assertEqual(evaluation.grade_id, self.grade_b, "all three confirmations are needed")
        evaluation.confirmed_capital = True
        self.assertEqual(evaluation.grade_id, self.grade_a)

    def test_bad_debt_in_the_last_two_years_refuses_grade_a_even_lifted(self):
        self._invoice(1000, self._months_ago(30))
        flag = self.env["credit.policy.red.flag"].create(
            {
                "partner_id": self.customer.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_bad_debt").id,
                "evidence": "Goods of last year never paid",
                "date": self._months_ago(20),
            }
        )
        flag.active = False
        evaluation = self._a_scores(**self.confirmed)
        self.assertEqual(evaluation.grade_id, self.grade_b)
        self.assertIn("no bad debt in 2 years", evaluation.grade_explanation)
        # A bad debt older than two years no longer counts.
        flag.date = self._months_ago(25)
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.grade_id, self.grade_a)

    def test_yearly_shipments_and_payments_below_the_standard(self):
        self.grade_a.min_yearly_volume = 50000
        self._invoice(1000, self._months_ago(14))
        recent = self._invoice(60000, self._months_ago(2))
        evaluation = self._a_scores(**self.confirmed)
        self.assertEqual(evaluation.facts_yearly_shipments, 60000)
        self.assertEqual(evaluation.facts_yearly_payments, 0)
        self.assertEqual(evaluation.grade_id, self.grade_b, "shipped but not paid")
        self.assertIn("yearly shipments and payments", evaluation.grade_explanation)
        self._pay(recent, 60000, self._months_ago(1))
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.facts_yearly_payments, 60000)
        self.assertEqual(evaluation.grade_id, self.grade_a)

    def test_approval_refused_when_a_prerequisite_fails_since_submission(self):
        self._invoice(1000, self._months_ago(13))
        evaluation = self._a_scores(user=self.salesperson, proposed_limit=1200, **self.confirmed)
        evaluation.with_user(self.salesperson).action_submit()
        self.assertEqual(evaluation.state, "to_approve")
        self.assertEqual(evaluation.grade_id, self.grade_a)
        # The company now asks two years of cooperation for grade A.
        self.grade_a.min_cooperation_months = 24
        approvers = self.regional_manager | self.sales_manager | self.finance | self.general_manager
        with self.assertRaisesRegex(ValidationError, "grade A needs 24 months of cooperation"):
            for review in evaluation.review_ids.sorted("sequence"):
                self._validate_as(evaluation, (review.reviewer_ids & approvers)[:1])
        self.assertEqual(evaluation.state, "to_approve")

    def test_submission_refused_when_no_grade_meets_its_prerequisites(self):
        # Every grade of the table needs the confirmation: the grade is not given.
        self.env["credit.policy.grade"].search([("table_id", "=", self.grade_a.table_id.id)]).write(
            {"conduct_confirmation_required": True}
        )
        evaluation = self._evaluation(10, 10, 0, user=self.salesperson)
        with self.assertRaisesRegex(ValidationError, "needs the evaluator's confirmation"):
            evaluation.with_user(self.salesperson).action_submit()
        self.assertEqual(evaluation.state, "draft")

    def test_the_proposer_cannot_set_the_facts(self):
        Evaluation = self.env["credit.policy.evaluation"].with_user(self.salesperson)
        for name, value in (("facts_cooperation_months", 48), ("facts_yearly_payments", 1e6)):
            with self.subTest(field=name), self.assertRaises(AccessError):
                Evaluation.create({"partner_id": self.customer.id, "kind": "review", name: value})
        evaluation = self._a_scores(user=self.salesperson, **self.confirmed)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).write({"facts_cooperation_months": 48})
        evaluation = Evaluation.with_context(default_facts_cooperation_months=48).create(
            {"partner_id": self.customer.id, "kind": "review", "line_ids": self._lines(30, 24, 26), **self.confirmed}
        )
        self.assertEqual(evaluation.facts_cooperation_months, 0)
        self.assertEqual(evaluation.grade_id, self.grade_b)

    def test_prerequisite_rules(self):
        today = date(2026, 3, 1)
        grade_a = policy.GradePrerequisites(12, 2, 1000.0, True)
        record = policy.CustomerRecord(12, date(2024, 3, 1), 1000.0, 1000.0, True)
        self.assertEqual(policy.grade_prerequisite_failures(grade_a, record, today), ())
        self.assertEqual(
            policy.grade_prerequisite_failures(grade_a, record._replace(cooperation_months=11), today),
            (policy.PREREQUISITE_COOPERATION,),
        )
        self.assertEqual(
            policy.grade_prerequisite_failures(grade_a, record._replace(last_bad_debt_date=date(2024, 3, 2)), today),
            (policy.PREREQUISITE_BAD_DEBT,),
        )
        self.assertEqual(
            policy.grade_prerequisite_failures(grade_a, record._replace(yearly_payments=999.99), today),
            (policy.PREREQUISITE_YEARLY_VOLUME,),
        )
        self.assertEqual(
            policy.grade_prerequisite_failures(grade_a, record._replace(confirmed=False), today),
            (policy.PREREQUISITE_CONFIRMATION,),
        )
        self.assertEqual(
            policy.grade_prerequisite_failures(policy.GradePrerequisites(), policy.CustomerRecord(), today), ()
        )
        self.assertFalse(policy.bad_debt_too_recent(2, date(2022, 2, 28), date(2024, 2, 29)))
        self.assertTrue(policy.bad_debt_too_recent(2, date(2022, 3, 1), date(2024, 2, 29)))
        grades = [policy.GradeRule(code, score, 0, 0, True) for code, score in (("A", 80), ("B", 60), ("C", 0))]
        result = policy.compute_grade(grades, 85, 0, 0, prerequisite_failures=[("cooperation",), (), ()])
        self.assertEqual((result.index, result.steps), (1, ("band", "prerequisites")))
