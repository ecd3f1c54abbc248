from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import CreditExposureCommon

TODAY = date(2026, 7, 15)  # last complete months: May and June 2026


@tagged("post_install", "-at_install")
class TestCreditMissedPaymentsIgnoreSmallRests(CreditExposureCommon):
    """A customer who pays each invoice on its due date, less a bank charge
    of 0.50 left open, did not miss a payment. The company's small-amount
    tolerance (POLICY.md §4: small amounts ignored) says such rests do not
    make an item overdue; the same rest must not count as a missed due date
    for the crisis scan (§5, seed 000 H: two consecutive missed payments put
    the customer at response level 2, each delivery needing a Credit
    Manager's release) nor as a month of poor payment (§3: downgrade)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_overdue_tolerance_amount = 1.0
        cls.payer = cls.env["res.partner"].create({"name": "Pays Less Bank Charges", "is_company": True})

    def _invoice_paid_on_due_date_less(self, due, amount, short):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.payer.id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create({"name": "Widget", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount - short, "payment_date": due})._create_payments()
        self.assertAlmostEqual(invoice.amount_residual, short)
        return invoice

    def test_rests_within_the_tolerance_are_no_missed_payment(self):
        self._invoice_paid_on_due_date_less(date(2026, 5, 10), 1000.0, 0.5)
        self._invoice_paid_on_due_date_less(date(2026, 6, 10), 1000.0, 0.5)
        # The credit check itself ignores these rests for the overdue age.
        with self.env.cr.savepoint():
            self.assertEqual(
                self.env["credit.policy.check"]._overdue_facts(self.payer, self.company)[1].get(self.payer.id, 0), 0
            )
        self.env["credit.policy.crisis.signal"]._scan(self.company, TODAY)
        signals = self.env["credit.policy.crisis.signal"].search(
            [("partner_id", "=", self.payer.id), ("company_id", "=", self.company.id)]
        )
        self.assertNotIn(
            "missed_payments", signals.mapped("kind"),
            "two invoices paid on their due dates, 0.50 each left open within the 1.00 tolerance",
        )
        poor = self.env["credit.policy.evaluation"]._poor_payment_months(self.company, TODAY, months=2)
        self.assertNotIn(self.payer.id, poor, "no month of poor payment either")
