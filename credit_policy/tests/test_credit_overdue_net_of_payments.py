from odoo import fields
from odoo.tests import tagged

from odoo.addons.credit_policy import policy

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditOverdueNetOfPayments(CreditExposureCommon):
    """Overdue rules (POLICY.md §4) count what the customer really owes late:
    payments and credit notes on account pay the oldest overdue items first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = cls.env["credit.policy.check"]
        cls.today = fields.Date.today()
        cls.company.write(
            {
                "credit_check_mode": "block",
                "credit_max_overdue_percent": 50.0,
                "credit_max_overdue_days": 30,
                "credit_overdue_tolerance_amount": 0.0,
            }
        )

    def _credit_note_on_account(self, amount):
        return self.init_invoice(
            "out_refund", partner=self.customer, invoice_date=self.today,
            amounts=[amount], taxes=self.env["account.tax"], post=True,
        )

    def _facts(self):
        figures = self._figures(self.customer)
        return figures["overdue_amount"], figures["oldest_overdue_days"]

    def test_everything_paid_on_account_confirms(self):
        self._overdue_invoice(400.0, 45)
        current = self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date=self.today,
            amounts=[500.0], taxes=self.env["account.tax"], post=True,
        )
        self._pay(current, 500.0)  # matched with its invoice: no credit on account
        quotation = self._order(self.customer, 1, confirm=False)
        self.assertEqual(quotation._credit_evaluate().failure_codes, ["overdue_share", "overdue_days"])
        self._payment_on_account(399.0)
        self.assertEqual(self._facts(), (1.0, 45))
        self.assertEqual(quotation._credit_evaluate().failure_codes, ["overdue_share", "overdue_days"])
        self.company.credit_overdue_tolerance_amount = 1.0
        self.assertEqual(self._facts(), (1.0, 0), "1.00 left is a small amount")
        self.assertFalse(quotation._credit_evaluate().blocked)
        self.company.credit_overdue_tolerance_amount = 0.0
        self._payment_on_account(1.0)
        self._payment_on_account(400.0)
        self.assertEqual(self._facts(), (0.0, 0))
        quotation.action_confirm()
        self.assertEqual(quotation.state, "sale", "the customer paid everything, only not matched yet")

    def test_payment_pays_oldest_items_first(self):
        self._overdue_invoice(300.0, 60)
        self._overdue_invoice(200.0, 20)
        self._payment_on_account(299.0)
        self.assertEqual(self._facts(), (201.0, 60), "1.00 of the oldest invoice is still open")
        self.company.credit_overdue_tolerance_amount = 1.0
        self.assertEqual(self._facts(), (201.0, 20), "a small rest is ignored for the age")
        self.assertEqual(self.check._evaluate(self.customer).failure_codes, ["overdue_share"])
        self.company.credit_overdue_tolerance_amount = 0.0
        self._payment_on_account(1.0)
        self.assertEqual(self._facts(), (200.0, 20))
        self.assertEqual(
            self.check._evaluate(self.customer).failure_codes, ["overdue_share"], "all that is open is overdue"
        )

    def test_without_credit_on_account_each_item_keeps_its_amount(self):
        self._overdue_invoice(300.0, 60)
        self._overdue_invoice(200.0, 20)
        self.assertEqual(self._facts(), (500.0, 60))
        self.company.credit_overdue_tolerance_amount = 250.0
        self.assertEqual(self._facts(), (500.0, 60), "300.00 is above the tolerance")
        self.company.credit_overdue_tolerance_amount = 300.0
        self.assertEqual(self._facts(), (500.0, 0), "both items are small amounts for the age")

    def test_credit_note_on_account_nets_the_overdue(self):
        self._overdue_invoice(300.0, 40)
        self._credit_note_on_account(100.0)
        self.assertEqual(self._facts(), (200.0, 40))
        self._credit_note_on_account(200.0)
        self.assertEqual(self._facts(), (0.0, 0))
        self.assertFalse(self.check._evaluate(self.customer).blocked)

    def test_net_overdue_rule(self):
        today = fields.Date.from_string("2025-03-31")
        items = [
            (fields.Date.from_string("2025-01-30"), 300.0),  # 60 days
            (fields.Date.from_string("2025-03-11"), 200.0),  # 20 days
        ]
        self.assertEqual(policy.net_overdue(items, 0.0, today), (500.0, 60))
        self.assertEqual(policy.net_overdue(items, 300.0, today), (200.0, 20))
        self.assertEqual(policy.net_overdue(items, 299.5, today), (200.5, 60))
        self.assertEqual(policy.net_overdue(items, 299.5, today, tolerance=0.5), (200.5, 20), "0.5 is small")
        self.assertEqual(policy.net_overdue(items, 299.5, today, tolerance=0.25), (200.5, 60))
        self.assertEqual(policy.net_overdue(items, 299.996, today), (200.0, 20), "below the rounding")
        self.assertEqual(policy.net_overdue(items, 500.0, today), (0.0, 0))
        self.assertEqual(policy.net_overdue(items, 900.0, today), (0.0, 0), "credit beyond the overdue")
        self.assertEqual(policy.net_overdue([], 100.0, today), (0.0, 0))
