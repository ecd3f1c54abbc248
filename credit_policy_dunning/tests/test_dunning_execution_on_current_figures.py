from datetime import timedelta

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningExecutionOnCurrentFigures(DunningCommon):
    """A run prepared for review may wait for days: it is carried out on the
    customers' figures of the day it is executed, not those it was prepared
    with. Who paid, or promised to pay, meanwhile gets no letter and stays
    where it was, with the reason on its action."""

    def _review(self):
        """A run prepared (the scheduled run in review mode), to execute later."""
        run = self._prepare()
        self.assertEqual(self._line(run).state, "proposed")
        return run

    def _execute(self, run):
        run.with_user(self.controller).action_execute()
        return self._line(run)

    def _letter(self, line):
        return line.letter_attachment_id.raw.decode()

    def test_customer_who_paid_in_full_gets_no_letter(self):
        invoice = self._overdue_invoice(self.customer, 1000.0, 20)
        run = self._review()
        self._pay(invoice, 1000.0)
        line = self._execute(run)
        self.assertEqual(line.state, "excluded")
        self.assertIn("paid since the run was prepared", line.result)
        self.assertFalse(line.letter_attachment_id or line.mail_id)
        self.assertFalse(self._stage(), "not moved onto the stage")
        self.assertEqual(run.state, "done")
        self.assertIn("0 actions done, 1 excluded", run.summary)

    def test_partial_payment_is_claimed_net(self):
        invoice = self._overdue_invoice(self.customer, 1000.0, 20)
        run = self._review()
        self._pay(invoice, 400.0)
        line = self._execute(run)
        self.assertEqual(line.state, "done")
        self.assertEqual(line.amount_total, 600.0)
        self.assertEqual(line.residuals, {str(self._receivable_line(invoice).id): 600.0})
        letter = self._letter(line)
        self.assertIn("600.00", letter)
        self.assertNotIn("1,000.00", letter)
        self.assertEqual(self._stage(), self.stages[2])

    def test_termination_not_carried_out_once_the_oldest_invoice_is_paid(self):
        old = self._overdue_invoice(self.customer, 1000.0, 100)
        self._overdue_invoice(self.customer, 300.0, 20)
        run = self._review()
        self.assertEqual(self._line(run).stage_id, self.stages[6])
        self._pay(old, 1000.0)
        line = self._execute(run)
        self.assertEqual(line.state, "excluded")
        self.assertIn(self.stages[2].name, line.result)
        self.assertFalse(self.customer.sudo().with_company(self.company).credit_on_hold, "no credit hold")
        self.assertFalse(self._stage())
        # A new run on the same date proposes what is due now.
        again = self._prepare()
        self.assertEqual(self._line(again).stage_id, self.stages[2])

    def test_promise_to_pay_recorded_after_the_proposal_pauses_the_action(self):
        self._overdue_invoice(self.customer, 1000.0, 20)
        run = self._review()
        self.customer.with_user(self.controller).with_company(self.company).write(
            {"dunning_promise_amount": 1000.0, "dunning_promise_date": self.today + timedelta(days=7)}
        )
        line = self._execute(run)
        self.assertEqual(line.state, "excluded")
        self.assertIn("promise to pay", line.result)
        self.assertFalse(line.mail_id)
        self.assertFalse(self._stage())

    def test_lines_of_customers_still_due_carry_out_as_before(self):
        other = self._credit_customer("Second Debtor")
        other.email = "second@example.com"
        paid = self._overdue_invoice(self.customer, 1000.0, 20)
        self._overdue_invoice(other, 500.0, 20)
        run = self._review()
        self._pay(paid, 1000.0)
        self._execute(run)
        self.assertEqual(self._line(run, other).state, "done")
        self.assertTrue(self._line(run, other).mail_id)
        self.assertEqual(self._stage(other), self.stages[2])
        self.assertEqual(self._line(run).state, "excluded")

    def test_foreign_currency_invoice_partly_paid_is_claimed_in_its_currency(self):
        foreign, other = self._foreign_overdue_invoice(1000.0, 20)
        run = self._review()
        self.assertEqual(self._line(run).amount_total, 2000.0)
        self._pay(foreign, 400.0)  # in the invoice's currency
        line = self._execute(run)
        self.assertEqual(line.state, "done")
        rows = {row["number"]: (row["residual"], row["currency"]) for row in line._letter_rows()}
        self.assertEqual(rows[foreign.name], (600.0, other))
        letter = self._letter(line)
        self.assertIn("600.00", letter)
        self.assertNotIn("1,000.00", letter)
