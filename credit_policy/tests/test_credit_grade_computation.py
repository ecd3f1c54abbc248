from datetime import date, datetime

from psycopg2.errors import CheckViolation, UniqueViolation

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.credit_policy import policy

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditGradeComputation(CreditGradingCommon):
    def test_band_boundaries_of_seed_001(self):
        cases = [
            # (repayment, purchase, others, expected)
            (38, 28, 24, "AAA"),  # 90, both minimums met
            (34, 28, 28, "AA"),  # 90 but repayment 34 < 35: one level down
            (35, 26, 29, "AA"),  # 90 but purchases 26 < 27
            (30, 24, 26, "AA"),  # 80
            (30, 24, 25, "A"),  # 79
            (20, 18, 22, "B"),  # 60
            (19, 18, 23, "C"),  # 60 but repayment below B's 20
            (20, 18, 21, "C"),  # 59
            (0, 0, 0, "C"),
        ]
        for repayment, purchase, others, expected in cases:
            with self.subTest(repayment=repayment, purchase=purchase, others=others):
                evaluation = self._evaluation(repayment, purchase, others)
                self.assertEqual(evaluation.total_score, repayment + purchase + others)
                self.assertEqual(evaluation.repayment_score, repayment)
                self.assertEqual(evaluation.purchase_score, purchase)
                self.assertEqual(evaluation.grade_id, self.grade[expected])

    def test_red_flag_forces_worst_grade(self):
        self.env["credit.policy.red.flag"].create(
            {
                "partner_id": self.customer.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_bounced_cheque").id,
                "evidence": "Returned by the bank",
            }
        )
        evaluation = self._evaluation(40, 30, 30)
        self.assertEqual(evaluation.total_score, 100)
        self.assertEqual(len(evaluation.red_flag_ids), 1)
        self.assertEqual(evaluation.grade_id, self.grade["C"])
        self.assertIn("Red flag", evaluation.grade_explanation)

    def test_lifted_red_flag_is_ignored(self):
        flag = self.env["credit.policy.red.flag"].create(
            {
                "partner_id": self.customer.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_sued").id,
                "evidence": "Court notice",
            }
        )
        flag.active = False
        self.assertEqual(self._evaluation(40, 30, 30).grade_id, self.grade["AAA"])

    def test_new_customer_capped_without_special_approval(self):
        evaluation = self._evaluation(38, 28, 29, kind="new")
        self.assertEqual(evaluation.total_score, 95)
        self.assertEqual(evaluation.grade_id, self.grade["A"])
        evaluation.with_user(self.credit_manager).write(
            {"special_approval": True, "special_approval_note": "Renowned in the industry"}
        )
        self.assertEqual(evaluation.grade_id, self.grade["AAA"])
        self.assertEqual(evaluation.special_approval_user_id, self.credit_manager)

    def test_incomplete_data_capped_like_new_customer(self):
        # Key data read from the customer's record (see test_credit_key_data_from_the_customers_record).
        incomplete = self.env["res.partner"].create({"name": "CPG Without Key Data", "is_company": True})
        self._establish_customer(incomplete)
        evaluation = self._evaluation(38, 28, 29, partner=incomplete)
        self.assertTrue(evaluation.incomplete_data)
        self.assertEqual(evaluation.grade_id, self.grade["A"])

    def test_special_approval_rights_and_note(self):
        evaluation = self._evaluation(38, 28, 29, kind="new")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).write(
                {"special_approval": True, "special_approval_note": "I say so"}
            )
        with self.assertRaises(ValidationError):
            evaluation.with_user(self.general_manager).write({"special_approval": True})

    def test_points_within_criterion_maximum(self):
        with self.assertRaises(ValidationError):
            self._evaluation(41, 30, 0)
        evaluation = self._evaluation(10, 10, 0)
        with self.assertRaises(ValidationError):
            evaluation.line_ids[0].points = -1

    def test_proposal_outside_grade_refused_at_submit(self):
        evaluation = self._evaluation(30, 24, 26)  # AA: max 300000, 45 days
        self.assertEqual(evaluation.proposed_limit, self.grade["AA"].default_limit)
        evaluation.proposed_limit = 300001
        with self.assertRaisesRegex(ValidationError, "exceeds the maximum"):
            evaluation.action_submit()
        evaluation.write({"proposed_limit": 300000, "proposed_term_days": 46})
        with self.assertRaisesRegex(ValidationError, "45 days"):
            evaluation.action_submit()
        self.assertEqual(evaluation.state, "draft")

    def test_no_credit_grade_refuses_any_credit(self):
        evaluation = self._evaluation(10, 10, 0)
        self.assertEqual(evaluation.grade_id, self.grade["C"])
        evaluation.proposed_limit = 1000
        with self.assertRaisesRegex(ValidationError, "allows no credit"):
            evaluation.action_submit()

    def test_collateral_caps_the_limit(self):
        three = self.env.ref("credit_policy.credit_policy_grade_table_three")
        self.company.credit_grade_table_id = three
        grade_b = self.env.ref("credit_policy.credit_policy_grade_three_b")
        evaluation = self._evaluation(20, 18, 25, collateral_value=20000)
        self.assertEqual(evaluation.grade_id, grade_b)
        evaluation.proposed_limit = 25000
        with self.assertRaisesRegex(ValidationError, "collateral"):
            evaluation.action_submit()
        evaluation.proposed_limit = 20000
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "to_approve")

    def test_grade_table_constraints(self):
        with self.assertRaises(ValidationError):
            self.env["credit.policy.grade"].create(
                {"table_id": self.table.id, "sequence": 60, "code": "D", "name": "Worse", "min_score": 95}
            )
        with self.assertRaises(ValidationError):
            self.grade["C"].max_limit = 10
        with self.assertRaises(CheckViolation), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.grade["A"].write({"default_limit": 10, "max_limit": 5})
            self.grade["A"].flush_recordset()
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.grade["B"].code = "A"
            self.grade["B"].flush_recordset()

    def test_pure_policy_functions(self):
        grades = [
            policy.GradeRule("AAA", 90, 35, 27, False),
            policy.GradeRule("AA", 80, 30, 24, False),
            policy.GradeRule("A", 70, 25, 21, True),
            policy.GradeRule("B", 60, 20, 18, True),
            policy.GradeRule("C", 0, 0, 0, True),
        ]
        self.assertEqual(policy.compute_grade(grades, 90, 34, 30).index, 1)
        self.assertEqual(policy.compute_grade(grades, 59, 40, 30).index, 4)
        self.assertEqual(policy.compute_grade(grades, 60, 20, 18).index, 3)
        self.assertEqual(policy.compute_grade(grades, 100, 40, 30, has_red_flag=True).index, 4)
        self.assertEqual(policy.compute_grade(grades, 95, 40, 30, is_new_or_incomplete=True).index, 2)
        self.assertEqual(
            policy.compute_grade(grades, 95, 40, 30, is_new_or_incomplete=True, special_approval=True).index, 0
        )
        self.assertTrue(policy.has_consecutive_poor_months({(2025, 12), (2026, 1)}, (2026, 1)))
        self.assertFalse(policy.has_consecutive_poor_months({(2025, 11), (2026, 1)}, (2026, 1)))
        self.assertEqual(policy.raised_limit(100000, 20, 500000), 120000)
        self.assertEqual(policy.raised_limit(100000, 20, 110000), 110000)

    def test_event_review_due_within_48_hours(self):
        evaluation = self._evaluation(30, 24, 26, kind="event", event_description="Change of ownership")
        self.assertEqual((evaluation.deadline - evaluation.create_date).total_seconds(), 48 * 3600)
        self.assertEqual(evaluation.activity_ids.user_id, self.salesperson)
        self.assertEqual(evaluation.activity_ids.date_deadline, evaluation.deadline.date())

    def test_review_activity_due_on_the_deadlines_day_in_the_assignees_calendar(self):
        evaluation = self._evaluation(30, 24, 26, kind="review")
        evaluation.deadline = datetime(2026, 12, 1, 20, 0)  # UTC: 2 December, 04:00 in Shanghai
        evaluation.activity_ids.unlink()
        self.salesperson.tz = "Asia/Shanghai"
        evaluation._schedule_review_activity("Review")
        self.assertEqual(evaluation.activity_ids.date_deadline, date(2026, 12, 2))
        evaluation.activity_ids.unlink()
        self.salesperson.tz = "America/New_York"
        evaluation._schedule_review_activity("Review")
        self.assertEqual(evaluation.activity_ids.date_deadline, date(2026, 12, 1))

    def test_salesperson_scores_in_the_form(self):
        form = Form(self.env["credit.policy.evaluation"].with_user(self.salesperson))
        form.partner_id = self.customer
        form.kind = "review"
        self.assertEqual(len(form.line_ids), len(self.criteria), "one line per criterion of the sheet")
        points = {"REPAY": 30, "PURCHASE": 24, "FINANCE": 10, "BUSINESS": 5, "YEARS": 5, "CAPITAL": 4, "STAFF": 2}
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                line.points = points.get(line.criterion_id.code, 0)
        self.assertEqual(form.total_score, 80)
        self.assertEqual(form.grade_id, self.grade["AA"])
        self.assertEqual(form.proposed_limit, self.grade["AA"].default_limit)
        self.assertEqual(form.proposed_term_days, self.grade["AA"].max_term_days)
        evaluation = form.save()
        self.assertEqual(evaluation.user_id, self.salesperson)
        self.assertTrue(evaluation.name.startswith("CE/"))
