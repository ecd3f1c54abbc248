from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.credit_policy_dunning import policy

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningPromiseKeptToTheCent(DunningCommon):
    """POLICY.md §5 (promise to pay): a customer who pays exactly what he
    promised kept his promise, also in a company that ignores no small
    amount (tolerance 0): 1,000.14 overdue, 500.10 promised and paid, 500.04
    left. Judged broken, the customer would be escalated one stage at once
    (a letter announcing restricted shipments instead of none)."""

    def test_exact_payment_keeps_the_promise(self):
        self.assertEqual(policy.promise_state(
            self.today, self.today + timedelta(days=1), 500.04, 1000.14, 500.10, 0.0), "kept")

    def test_run_after_an_exact_payment_does_not_escalate(self):
        self.company.credit_overdue_tolerance_amount = 0.0
        invoice = self._overdue_invoice(self.customer, 1000.14, 30)
        ten_days_ago = self.today - timedelta(days=10)
        with freeze_time(ten_days_ago):
            self._run(date=ten_days_ago)
            self.assertEqual(self._stage(), self.stages[2])
            self.customer.with_user(self.controller).with_company(self.company).write(
                {"dunning_promise_amount": 500.10, "dunning_promise_date": ten_days_ago + timedelta(days=5)}
            )
        self._pay(invoice, 500.10)
        run = self._run()
        line = self._line(run) if run else run
        self.assertFalse(
            line and line.promise_state == "broken",
            "500.10 promised, 500.10 paid: the promise was kept, no escalation",
        )
        self.assertEqual(self._stage(), self.stages[2], "still 30 days overdue: stage 2 (16-30 days)")
