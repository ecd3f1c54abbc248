from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningStageFollowsTheOldestItem(DunningCommon):
    """POLICY.md §5: the dunning stage, and what it does to shipping, follow
    the days overdue of the customer's oldest overdue item. Once the old
    invoices that took a customer up the ladder are paid (or excluded as
    disputed), the stage is the one of what is left overdue: a customer whose
    oldest overdue invoice is 10 days past due is at stage 1 (a phone call),
    his shipments are neither restricted nor stopped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).sudo().credit_limit = 100000.0
        cls.check = cls.env["credit.policy.check"]

    def _climb_to_stage_five(self):
        old = self._overdue_invoice(self.customer, 500.0, 70)
        recent = self._overdue_invoice(self.customer, 300.0, 10)
        run = self._run()
        line = self._line(run)
        self.assertEqual(line.stage_id, self.stages[5])
        self.assertEqual(line.move_line_ids.move_id, old | recent, "the lawyer's letter lists both invoices")
        self.assertEqual(self._stage().shipping_effect, "stop")
        return old, recent

    def test_paying_the_old_invoice_brings_the_customer_down_to_the_stage_of_what_is_left(self):
        old, _recent = self._climb_to_stage_five()
        self._pay(old, 500.0)
        # What is left: 300.00 overdue 10 days, stage 1 of the ladder.
        self._run()
        active = self.check._dunning_active_stage(self.customer, self.company)
        self.assertNotEqual(
            active.shipping_effect, "stop",
            "10 days overdue: shipping must not stay stopped by a lawyer's-letter stage about a paid invoice",
        )
        self.assertEqual(self._stage(), self.stages[1], "oldest overdue item 10 days past due: stage 1 (1-15 days)")

    def test_excluding_the_disputed_invoice_brings_the_customer_down_too(self):
        old, _recent = self._climb_to_stage_five()
        old.with_user(self.controller).write(
            {"dunning_excluded": True, "dunning_exclusion_reason": "Quality complaint under review"}
        )
        self._run()
        active = self.check._dunning_active_stage(self.customer, self.company)
        self.assertNotEqual(active.shipping_effect, "stop", "only a 10-day overdue invoice is dunnable")
        self.assertEqual(self._stage(), self.stages[1])
