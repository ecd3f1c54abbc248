from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningPromiseToPay(DunningCommon):
    """A promise to pay is judged on what the customer paid of the invoices
    overdue when it was made, and ends when the customer leaves the ladder."""

    def _promise(self, amount, date):
        self.customer.with_user(self.controller).with_company(self.company).write(
            {"dunning_promise_amount": amount, "dunning_promise_date": date}
        )

    def _promised_date(self):
        partner = self.customer.sudo().with_company(self.company)
        partner.invalidate_recordset()
        return partner.dunning_promise_date

    def test_invoices_falling_due_after_the_promise_do_not_break_it(self):
        invoice = self._overdue_invoice(self.customer, 1000.0, 30)
        ten_days_ago = self.today - timedelta(days=10)
        with freeze_time(ten_days_ago):
            self._run(date=ten_days_ago)
            self.assertEqual(self._stage(), self.stages[2])
            self._promise(600.0, ten_days_ago + timedelta(days=5))
        # Paid as promised; meanwhile another invoice fell due (1,200 overdue now).
        self._pay(invoice, 600.0)
        self._overdue_invoice(self.customer, 800.0, 5)
        line = self._line(self._run())
        self.assertEqual(line.stage_id, self.stages[2], "no escalation")
        self.assertFalse(line.promise_state)
        self.assertFalse(self._promised_date(), "the kept promise is closed")

    def test_customer_leaving_the_ladder_leaves_no_promise_behind(self):
        invoice = self._overdue_invoice(self.customer, 1000.0, 20)
        self._run()
        self._promise(600.0, self.today + timedelta(days=1))
        self._pay(invoice, 1000.0)
        self.assertFalse(self._prepare(), "paid in full: nothing to do")
        self.assertFalse(self._stage())
        self.assertFalse(self._promised_date(), "a stale promise would be judged broken at the next overdue")
