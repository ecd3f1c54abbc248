from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditPaymentDaysNetOfPaymentsOnAccount(CreditExposureCommon):
    """A grade's maximum payment days count the customer's *actual* payment
    days (POLICY.md §2, seed 000): an invoice the customer has paid, the
    payment registered on account and not yet matched, is paid, as the
    overdue rules net it (POLICY.md §4, test_credit_overdue_net_of_payments)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        table = cls.env["credit.policy.grade.table"].sudo().create(
            {"name": "Payment Days Net", "company_id": cls.company.id}
        )
        cls.grade = cls.env["credit.policy.grade"].sudo().create(
            {
                "table_id": table.id,
                "code": "D60N",
                "name": "Slow payer",
                "max_limit": 10000.0,
                "max_term_days": 30,
                "max_payment_days": 60,
            }
        )
        cls.customer.write({"credit_grade_id": cls.grade.id, "credit_term_days": 30})
        cls.company.write(
            {"credit_max_overdue_percent": 50.0, "credit_max_overdue_days": 30, "credit_overdue_tolerance_amount": 0.0}
        )

    def _invoice_dated(self, days_ago, amount=500.0):
        invoice_date = fields.Date.today() - timedelta(days=days_ago)
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date=invoice_date,
            amounts=[amount], taxes=self.env["account.tax"],
        )
        invoice.invoice_date_due = invoice_date + timedelta(days=30)
        invoice.action_post()
        return invoice

    def _evaluate(self):
        return self.env["credit.policy.check"]._evaluate(self.customer, self.company, amount=100.0)

    def test_invoice_paid_on_account_is_not_open_for_the_payment_days(self):
        self._invoice_dated(90)
        self.assertIn("payment_days", self._evaluate().failure_codes)
        self._payment_on_account(500.0)
        result = self._evaluate()
        self.assertNotIn("overdue_days", result.failure_codes, "the overdue rules net the payment on account")
        self.assertNotIn(
            "payment_days", result.failure_codes,
            "the customer paid the 90-day-old invoice (payment not matched yet): it is not open 90 days",
        )

    def test_payment_on_account_pays_the_oldest_invoice_first(self):
        self._invoice_dated(90)
        self._invoice_dated(10)
        self._payment_on_account(500.0)
        result = self._evaluate()
        self.assertNotIn(
            "payment_days", result.failure_codes,
            "500 received pays the 90-day-old invoice first (as the overdue netting does): "
            "the oldest open one is 10 days old",
        )
