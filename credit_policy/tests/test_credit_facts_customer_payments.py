"""Only the customer's own money makes his payment record (POLICY.md §2-3,
seed 000: 回款, "actual payment days"): an exchange difference Odoo books on a
foreign-currency invoice is not a payment, and a credit note clearing an
invoice after its due date is not a late payment."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CreditGradingCommon
from .test_credit_limit_from_facts import CreditFactsCommon


class ForeignCurrencyMixin:
    """A foreign currency whose rate moves between invoice and payment."""

    @classmethod
    def _foreign_currency(cls, rates):
        """A currency of the main company with ``{date: units per company
        currency unit}`` (the rates are stored relative to the company
        currency's own rate of the day)."""
        currency = cls.env["res.currency"].create({"name": "CPX", "symbol": "X", "rounding": 0.01})
        own = cls.company.currency_id
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": currency.id,
                    "company_id": cls.company.id,
                    "name": day,
                    "rate": rate * own._get_rates(cls.company, day)[own.id],
                }
                for day, rate in rates.items()
            ]
        )
        return currency

    def _register_payment(self, invoice, amount, day, currency=None):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": amount, "payment_date": day, "currency_id": (currency or invoice.currency_id).id}
        )._create_payments()

    def _exchange_move(self, invoice):
        """The exchange difference entry Odoo booked when ``invoice`` was paid."""
        moves = invoice.line_ids.matched_credit_ids.exchange_move_id
        self.assertEqual(len(moves), 1, "the payment at another rate booked an exchange difference")
        self.assertEqual(moves.journal_id, self.company.currency_exchange_journal_id)
        return moves

    def _credit_note(self, invoice, amount, day):
        """A credit note of ``amount`` dated ``day`` clearing part of ``invoice``."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "currency_id": invoice.currency_id.id,
                "invoice_date": day,
                "date": day,
                "invoice_line_ids": [
                    Command.create({"name": "Returned goods", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        refund.action_post()
        (invoice.line_ids | refund.line_ids).filtered(
            lambda l: l.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.line_ids.matched_credit_ids.credit_move_id.move_id.filtered(
            lambda m: m.move_type == "out_refund"), refund)
        return refund


@tagged("post_install", "-at_install")
class TestFactsCountTheCustomersMoney(ForeignCurrencyMixin, CreditFactsCommon):
    """The limit from facts: payments per month, days to pay, paid on time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Invoiced on the 1st of a month seven months ago, due on the 21st,
        # paid on the 16th: whatever date Odoo gives the exchange difference
        # (the end of the payment's month, or the day it is booked), it is
        # after the due date.
        cls.invoiced_on = cls.today.replace(day=1) - relativedelta(months=7)
        cls.paid_on = cls.invoiced_on + relativedelta(days=15)

    def _foreign_invoice(self, currency, amount):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "currency_id": currency.id,
                "invoice_date": self.invoiced_on,
                "invoice_date_due": self.invoiced_on + relativedelta(days=20),
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_exchange_loss_is_neither_paid_nor_late(self):
        """Invoiced 120,000 X worth 120,000, paid in full on time when they are
        worth 96,000: the customer paid 96,000, on day 15, on time; the 24,000
        exchange loss booked later is not a payment of his."""
        currency = self._foreign_currency({self.invoiced_on: 1.0, self.paid_on: 1.25})
        invoice = self._foreign_invoice(currency, 120000)
        self._register_payment(invoice, 120000, self.paid_on)
        self.assertEqual(invoice.payment_state, "paid")
        exchange = self._exchange_move(invoice)
        self.assertGreater(exchange.date, invoice.invoice_date_due, "the exchange difference is dated after the due date")
        evaluation = self._aa()
        self.assertEqual(evaluation.facts_monthly_shipments, 10000, "invoiced at the invoice's rate")
        self.assertEqual(evaluation.facts_monthly_payments, 8000, "96,000 received over 12 months, not 120,000")
        self.assertAlmostEqual(evaluation.facts_days_to_pay, 15.0)
        self.assertEqual(evaluation.facts_on_time_percent, 100.0)

    def test_exchange_gain_counts_what_the_customer_paid(self):
        """Paid in full when the 120,000 X are worth 150,000: the customer paid
        150,000 (the gain is booked against his payment, not the invoice)."""
        currency = self._foreign_currency({self.invoiced_on: 1.0, self.paid_on: 0.8})
        invoice = self._foreign_invoice(currency, 120000)
        self._register_payment(invoice, 120000, self.paid_on)
        self.assertEqual(invoice.payment_state, "paid")
        evaluation = self._aa()
        self.assertEqual(evaluation.facts_monthly_payments, 12500, "150,000 received over 12 months")
        self.assertAlmostEqual(evaluation.facts_days_to_pay, 15.0)
        self.assertEqual(evaluation.facts_on_time_percent, 100.0)

    def test_payment_in_company_currency_of_a_foreign_invoice(self):
        """A foreign invoice paid in company currency: what he paid, in full."""
        currency = self._foreign_currency({self.invoiced_on: 1.0, self.paid_on: 1.25})
        invoice = self._foreign_invoice(currency, 120000)
        self._register_payment(invoice, 96000, self.paid_on, currency=self.company.currency_id)
        self.assertEqual(invoice.payment_state, "paid")
        evaluation = self._aa()
        self.assertEqual(evaluation.facts_monthly_payments, 8000)
        self.assertAlmostEqual(evaluation.facts_days_to_pay, 15.0)
        self.assertEqual(evaluation.facts_on_time_percent, 100.0)


@tagged("post_install", "-at_install")
class TestLatePaymentIsTheCustomers(ForeignCurrencyMixin, CreditGradingCommon):
    """Paid late (the monthly payment behaviour check, the crisis scan): only
    the customer's own payments date the settlement of an invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        first_of_month = cls.today.replace(day=1)
        # Due on the 5th of each of the last two complete months.
        cls.due = [first_of_month - relativedelta(months=n) + relativedelta(days=4) for n in (2, 1)]

    def _graded(self, name):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        partner.with_company(self.company)._credit_policy_set_master_data(
            {"credit_grade_id": self.grade["A"].id, "credit_limit": 100000, "credit_term_days": 30},
            reason="test setup",
        )
        return partner.with_company(self.company)

    def _invoice(self, partner, due, amount=1000.0, currency=None):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "currency_id": (currency or self.company.currency_id).id,
                "invoice_date": due - relativedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _poor_months(self, partner):
        poor = self.env["credit.policy.evaluation"]._poor_payment_months(self.company, self.today, months=2)
        return poor.get(partner.id, set())

    def _month(self, day):
        return (day.year, day.month)

    def _downgrade_proposals(self, partner):
        self.env["credit.policy.evaluation"]._cron_check_payment_behaviour()
        return self.env["credit.policy.evaluation"].search(
            [("partner_id", "=", partner.id), ("trigger", "=", "poor_payment")]
        )

    def test_credit_note_after_the_due_date_is_no_late_payment(self):
        """Each month: 600 paid on time, the other 400 cleared by a credit note
        ten days after the due date (the goods came back). Not a late payer:
        no poor month, no downgrade, no missed payments signal. Credited on
        time but the 600 he owed paid ten days late: late, the credit note
        excuses only what it credits."""
        credited = self._graded("Credited late")
        late = self._graded("Paid late after a credit note")
        for due in self.due:
            invoice = self._invoice(credited, due)
            self._register_payment(invoice, 600, due - relativedelta(days=1))
            self._credit_note(invoice, 400, due + relativedelta(days=10))
            self.assertEqual(invoice.payment_state, "paid")
            invoice = self._invoice(late, due)
            self._credit_note(invoice, 400, due - relativedelta(days=5))
            self._register_payment(invoice, 600, due + relativedelta(days=10))
        self.assertEqual(self._poor_months(credited), set())
        self.assertEqual(self._poor_months(late), {self._month(day) for day in self.due})
        self.assertFalse(self._downgrade_proposals(credited))
        self.assertTrue(self._downgrade_proposals(late))
        signals = self.env["credit.policy.crisis.signal"]._scan_missed_payments(self.company, self.today)
        self.assertNotIn(credited.id, signals)
        self.assertIn(late.id, signals)

    def test_invoice_wholly_credited_late_is_not_paid_late(self):
        partner = self._graded("Wholly credited")
        invoice = self._invoice(partner, self.due[1])
        self._credit_note(invoice, 1000, self.due[1] + relativedelta(days=20))
        self.assertIn(invoice.payment_state, ("paid", "reversed"))
        self.assertEqual(self._poor_months(partner), set())

    def test_a_month_only_credited_shows_no_payment(self):
        """The upgrade proposal needs invoices paid on time in each of the last
        three months: a month whose only invoice was wholly credited shows no
        payment at all."""
        first_of_month = self.today.replace(day=1)
        paying, credited = self._graded("Pays every month"), self._graded("Credited one month")
        for partner in (paying, credited):
            partner.credit_last_review_date = first_of_month - relativedelta(months=8)
            for months_back in (1, 2, 3):
                due = first_of_month - relativedelta(months=months_back) + relativedelta(days=9)
                invoice = self._invoice(partner, due)
                if partner == credited and months_back == 1:
                    self._credit_note(invoice, 1000, due - relativedelta(days=2))
                else:
                    self._register_payment(invoice, 1000, due - relativedelta(days=2))
        good = self.env["credit.policy.evaluation"]._good_payers(self.company, self.today, months=6)
        self.assertIn(paying, good)
        self.assertNotIn(credited, good)

    def test_credit_note_does_not_lengthen_the_payment_delay(self):
        """Paid on the due date six months ago; in the last 3 months one
        invoice paid on its due date and one cleared by a credit note 45 days
        after it: no delay, before or now, no delay jump."""
        partner = self._graded("Steady payer")
        earlier = self.today.replace(day=1) - relativedelta(months=6) + relativedelta(days=4)
        self._register_payment(self._invoice(partner, earlier), 1000, earlier)
        recent = self.due[0]
        self._register_payment(self._invoice(partner, recent), 1000, recent)
        credited = self._invoice(partner, recent)
        self._credit_note(credited, 1000, recent + relativedelta(days=45))
        self.assertEqual(self.company.credit_crisis_delay_jump_days, 20)
        signals = self.env["credit.policy.crisis.signal"]._scan_delay_jump(self.company, self.today)
        self.assertNotIn(partner.id, signals)
        self.company.credit_crisis_delay_jump_days = 1
        signals = self.env["credit.policy.crisis.signal"]._scan_delay_jump(self.company, self.today)
        self.assertNotIn(partner.id, signals, "no delay before, none now")

    def test_exchange_difference_booked_after_the_due_date_is_no_late_payment(self):
        """Foreign invoices paid in full two days before their due dates, at
        another rate: the exchange difference Odoo books later does not make
        the payment late."""
        partner = self._graded("Foreign payer")
        rates = {}
        for due in self.due:
            rates[due - relativedelta(days=30)] = 1.0
            rates[due - relativedelta(days=2)] = 1.25
        currency = self._foreign_currency(rates)
        for due in self.due:
            invoice = self._invoice(partner, due, currency=currency)
            self._register_payment(invoice, 1000, due - relativedelta(days=2))
            self.assertEqual(invoice.payment_state, "paid")
            self.assertGreater(self._exchange_move(invoice).date, due, "booked after the due date")
        self.assertEqual(self._poor_months(partner), set())
        self.assertFalse(self._downgrade_proposals(partner))
        signals = self.env["credit.policy.crisis.signal"]._scan_missed_payments(self.company, self.today)
        self.assertNotIn(partner.id, signals)
