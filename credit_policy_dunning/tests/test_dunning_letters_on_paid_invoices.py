from datetime import timedelta

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningLettersOnPaidInvoices(DunningCommon):
    """Seed 001 counts the letters about invoices still open: once the rest
    of an invoice is under the small-amount tolerance, or a payment on account
    covers it, its letters no longer block the customer."""

    def setUp(self):
        super().setUp()
        self.company.credit_dunning_max_letters = 2
        self.invoice = self._overdue_invoice(self.customer, 1000.0, 20)
        # Three letters about the invoice: stages 2, 3 and 4.
        self._run()
        for days in (35, 50):
            self._receivable_line(self.invoice).date_maturity = self.today - timedelta(days=days)
            self._run()
        self.assertEqual(self._letter_count(), 3)

    def _letter_count(self):
        result = self.env["credit.policy.check"]._evaluate(self.customer)
        self.assertEqual("dunning_letters" in result.failure_codes, result.figures["dunning_letter_count"] > 2)
        return result.figures["dunning_letter_count"]

    def test_letters_stop_counting_when_the_rest_is_under_the_tolerance(self):
        self._pay(self.invoice, 995.0)
        self.assertEqual(self._letter_count(), 0, "5 left open, under the tolerance of 10")

    def test_letters_stop_counting_when_a_payment_on_account_covers_the_invoice(self):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 1000.0,
                "date": self.today,
            }
        )
        payment.action_post()
        self.assertEqual(self._letter_count(), 0)
