from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon


class TemporaryLimitCase(CreditExposureCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [cls.company.id]
        cls.salesman = new_test_user(
            cls.env, "tlg_sales", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.credit_manager = new_test_user(
            cls.env, "tlg_credit_mgr", groups="credit_policy.group_credit_policy_manager",
            company_id=cls.company.id, company_ids=company_ids,
        )

    def _request(self, amount=500.0, days=None, **vals):
        """A request by the salesperson; ``days``: valid on that many days from
        today, both ends included."""
        today = fields.Date.today()
        if days is not None:
            vals.update(date_from=today, date_to=today + timedelta(days=days - 1))
        return (
            self.env["credit.policy.temporary.limit"]
            .with_user(self.salesman)
            .create(dict({"partner_id": self.customer.id, "amount": amount, "reason": "Big deal"}, **vals))
        )


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitGrade(TemporaryLimitCase):
    """Temporary limits within the grade (issue 8, item 12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        table = cls.env["credit.policy.grade.table"].sudo().create({"name": "TLG", "company_id": cls.company.id})
        Grade = cls.env["credit.policy.grade"].sudo()
        common = {"table_id": table.id, "max_limit": 10000.0, "max_term_days": 30}
        cls.grade_a = Grade.create(
            dict(common, code="A", name="A", sequence=10, min_score=80, temporary_credit_days=30)
        )
        cls.grade_b = Grade.create(
            dict(common, code="B", name="B", sequence=20, min_score=60, temporary_credit_days=15)
        )
        cls.grade_cash = Grade.create(
            dict(common, code="P", name="Prepay", sequence=30, min_score=40, prepayment_percent=100.0)
        )
        cls.grade_c = Grade.create(
            {"table_id": table.id, "code": "C", "name": "C", "sequence": 40, "credit_allowed": False,
             "temporary_credit_days": 0}
        )

    def _grade(self, grade):
        self.customer.with_company(self.company).sudo().credit_grade_id = grade

    def test_shipped_grades_carry_temporary_credit_days(self):
        def ref(name):
            return self.env.ref(f"credit_policy.credit_policy_grade_{name}").sudo()

        self.assertEqual((ref("five_b").temporary_credit_days, ref("three_b").temporary_credit_days), (15, 15))
        self.assertEqual((ref("five_c").temporary_credit_days, ref("four_d").temporary_credit_days), (0, 0))

    def test_no_temporary_limit_without_credit(self):
        for grade in (self.grade_c, self.grade_cash):
            with self.subTest(grade=grade.code):
                self._grade(grade)
                request = self._request(days=5)
                with self.assertRaisesRegex(ValidationError, "grants no credit"):
                    request.action_request_approval()
                self.assertEqual(request.state, "draft")

    def test_validity_at_most_grade_days(self):
        self._grade(self.grade_b)
        with self.assertRaisesRegex(ValidationError, "at most 15 days"):
            self._request(days=16).action_request_approval()
        request = self._request(days=15)
        request.action_request_approval()
        request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "approved")
        # Without dates, the request is valid as long as the grade allows.
        self.grade_b.temporary_credit_days = 10
        self.assertEqual(self._request().date_to, fields.Date.today() + timedelta(days=9))  # 10 days included

    def test_checked_again_at_approval(self):
        self._grade(self.grade_a)
        request = self._request(days=20)
        request.action_request_approval()
        self._grade(self.grade_b)  # downgraded meanwhile: 15 days at most
        with self.assertRaisesRegex(ValidationError, "at most 15 days"):
            request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "to_approve")
        self._grade(self.grade_c)
        with self.assertRaisesRegex(ValidationError, "grants no credit"):
            request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "to_approve")


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitDocument(TemporaryLimitCase):
    """A temporary limit requested for an order or a delivery is used by that
    document only; the customer's figures count general temporary limits only."""

    def test_order_temporary_limit_serves_that_order_only(self):
        self.company.credit_check_mode = "block"
        deal = self._order(self.customer, 15, confirm=False)  # 1,500 of a 1,000 limit
        other = self._order(self.customer, 15, confirm=False)
        self.assertTrue(deal._credit_evaluate().blocked)
        request = self._request(600.0, order_id=deal.id)
        request.action_request_approval()
        request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "approved")
        self.assertIn("over_limit", other._credit_evaluate().failure_codes, "not the other order's limit")
        self.assertEqual(other.action_confirm()["res_model"], "credit.policy.order.check.wizard")
        self.assertEqual(other.state, "draft")
        self.assertIs(deal.action_confirm(), True)
        self.assertEqual(deal.state, "sale")
        # The customer as a whole: general temporary limits only.
        figures = self._figures(self.customer)
        self.assertEqual((figures["effective_limit"], figures["status"]), (1000.0, "over"))
        # The order's delivery is the same deal: it passes under the order's limit.
        self._deliver(deal, 15)
        self.assertEqual(deal.picking_ids.state, "done")

    def test_delivery_temporary_limit_serves_that_delivery_only(self):
        first = self._order(self.customer, 8)  # check mode off: 1,600 of 1,000 confirmed
        second = self._order(self.customer, 8)
        first_picking, second_picking = first.picking_ids, second.picking_ids
        request = self._request(600.0, picking_id=first_picking.id)
        request.action_request_approval()
        request.with_user(self.credit_manager).validate_tier()
        _value, _uncounted, result = second_picking._credit_policy_evaluate()
        self.assertEqual(result.figures["effective_limit"], 1000.0)
        self.assertTrue(result.blocked)
        _value, _uncounted, result = first_picking._credit_policy_evaluate()
        self.assertEqual(result.figures["effective_limit"], 1600.0)
        self.assertFalse(result.blocked)
        self._deliver(first, 8)
        self.assertEqual(first_picking.state, "done")
        self._deliver(second, 8)
        self.assertEqual(second_picking.state, "assigned", "blocked: the prompt for a release")
        self.assertIn("over_limit", second_picking.credit_release_ids.mapped("failure_codes"))
