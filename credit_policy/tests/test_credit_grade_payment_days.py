from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditGradePaymentDays(CreditExposureCommon):
    """A grade's maximum actual payment days (seed 000: D-grade customers never
    exceed 60): an open invoice older than that since its invoice date blocks
    credit orders and deliveries, whatever its due date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grade = cls._grade(60)
        cls.customer.write({"credit_grade_id": cls.grade.id, "credit_term_days": 30})
        # the overdue rules apart: the cap counts from the invoice date, not the due date
        cls.company.write({"credit_max_overdue_percent": 0.0, "credit_max_overdue_days": 0})

    @classmethod
    def _grade(cls, max_payment_days):
        table = cls.env["credit.policy.grade.table"].sudo().create(
            {"name": "Payment Days", "company_id": cls.company.id}
        )
        return cls.env["credit.policy.grade"].sudo().create(
            {
                "table_id": table.id,
                "code": "D60",
                "name": "Slow payer",
                "max_limit": 10000.0,
                "max_term_days": 30,
                "max_payment_days": max_payment_days,
            }
        )

    def _invoice_dated(self, days_ago, amount=500.0, partner=None):
        """A posted invoice of ``amount`` dated ``days_ago`` days ago, due 30 days later."""
        invoice_date = fields.Date.today() - timedelta(days=days_ago)
        invoice = self.init_invoice(
            "out_invoice", partner=partner or self.customer, invoice_date=invoice_date,
            amounts=[amount], taxes=self.env["account.tax"],
        )
        invoice.invoice_date_due = invoice_date + timedelta(days=30)
        invoice.action_post()
        return invoice

    def _evaluate(self, partner=None, amount=100.0):
        return self.env["credit.policy.check"]._evaluate(partner or self.customer, self.company, amount=amount)

    def test_open_invoice_older_than_the_grade_allows_blocks(self):
        invoice = self._invoice_dated(61)
        result = self._evaluate()
        self.assertEqual(result.failure_codes, ["payment_days"], "31 days overdue, but 61 days open")
        self.assertEqual(result.failures[0].figures, {"payment_days": 61, "max_payment_days": 60})
        message = result.message()
        self.assertIn("61 days", message)
        self.assertIn("at most 60 days", message)
        self.assertIn(format_date(self.env, invoice.invoice_date), message)

    def test_invoice_within_the_days_passes(self):
        self._invoice_dated(60)
        self.assertFalse(self._evaluate().blocked)

    def test_paid_invoice_no_longer_counts(self):
        invoice = self._invoice_dated(90)
        self.assertTrue(self._evaluate().blocked)
        self._pay(invoice, 500.0)
        self.assertFalse(self._evaluate().blocked)

    def test_small_rest_below_the_tolerance_does_not_count(self):
        self.company.credit_overdue_tolerance_amount = 5.0
        invoice = self._invoice_dated(90)
        self._pay(invoice, 497.0)
        self.assertFalse(self._evaluate().blocked, "3 left open, under the ignored small amount")

    def test_no_cap_without_days(self):
        self._invoice_dated(400)
        self.grade.max_payment_days = 0
        self.assertFalse(self._evaluate().blocked)

    def test_credit_order_and_delivery_blocked(self):
        self.company.credit_check_mode = "block"
        order = self._order(self.customer, 2)
        self._invoice_dated(75)
        quotation = self._order(self.customer, 1, confirm=False)
        self.assertIn("payment_days", quotation._credit_evaluate().failure_codes)
        result = order.picking_ids._credit_policy_evaluate()[2]
        self.assertIn("payment_days", result.failure_codes)

    def test_oldest_invoice_of_the_credit_group_counts(self):
        member = self._member("Slow Member")
        self._invoice_dated(70, partner=member)
        result = self._evaluate()
        self.assertEqual(result.failure_codes, ["payment_days"])
        self.assertEqual(result.failures[0].figures["payment_days"], 70)

    def test_days_never_negative_and_audited(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.grade.max_payment_days = -1
            self.grade.flush_recordset()
        self.grade.max_payment_days = 45
        self.assertIn("Maximum Payment Days", self.grade.table_id.message_ids[0].body)

    def test_seeded_d_grade_caps_at_60_days(self):
        self.assertEqual(self.env.ref("credit_policy.credit_policy_grade_four_d").sudo().max_payment_days, 60)
        self.assertFalse(self.env.ref("credit_policy.credit_policy_grade_four_a").sudo().max_payment_days)

    def test_read_in_the_one_pass_over_open_items(self):
        self._invoice_dated(61)
        check = self.env["credit.policy.check"]
        facts = check._read_open_item_facts(self.customer, self.company, fields.Date.today())
        self.assertEqual(facts[self.customer.id]["oldest_open_date"], fields.Date.today() - timedelta(days=61))
