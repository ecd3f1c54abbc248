from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from odoo.addons.credit_policy_dunning import policy

from .common import DunningCommon

S = policy.StageRule
LADDER = [S(1, 1, 1, 15), S(2, 2, 16, 30), S(3, 3, 31, 45), S(4, 4, 46, 60), S(5, 5, 61, 90), S(6, 6, 91, 0)]


@tagged("post_install", "-at_install")
class TestDunningStageWithoutActionRules(TransactionCase):
    """POLICY.md §5: the stage follows the days overdue of the oldest item;
    when no action is due, the customer moves to that stage without one."""

    def test_effects_capped_at_the_stage_of_the_days(self):
        self.assertEqual(policy.active_stage(LADDER, 10, LADDER[4]).key, 1, "paid the old items: stage 1")
        self.assertEqual(policy.active_stage(LADDER, 70, LADDER[4]).key, 5)
        self.assertEqual(policy.active_stage(LADDER, 40, LADDER[1]).key, 2, "upwards the runs decide")
        self.assertEqual(policy.active_stage(LADDER, 20, LADDER[2], holds=True).key, 3, "broken promise")
        self.assertIsNone(policy.active_stage(LADDER, 10, None))
        self.assertIsNone(policy.active_stage([S(1, 1, 5, 0)], 3, S(1, 1, 5, 0)), "below the first band")

    def test_stage_without_action(self):
        self.assertEqual(policy.stage_without_action(LADDER, 10, LADDER[4], None), (True, LADDER[0]))
        self.assertEqual(policy.stage_without_action(LADDER, 10, LADDER[4], "pending"), (True, LADDER[0]))
        self.assertEqual(policy.stage_without_action(LADDER, 20, LADDER[2], None, True), (False, LADDER[2]))
        self.assertEqual(policy.stage_without_action(LADDER, 50, LADDER[0], None), (True, LADDER[3]), "grown older")
        self.assertEqual(policy.stage_without_action(LADDER, 50, LADDER[0], "pending"), (False, LADDER[0]))
        self.assertEqual(policy.stage_without_action(LADDER, 20, LADDER[1], None), (False, LADDER[1]))

    def test_broken_promise_escalation_holds_while_its_items_are_open(self):
        due = date(2026, 1, 1)
        self.assertTrue(policy.escalation_holds(True, due, due))
        self.assertTrue(policy.escalation_holds(True, due, due - timedelta(days=3)))
        self.assertFalse(policy.escalation_holds(True, due, due + timedelta(days=3)), "its items were paid")
        self.assertFalse(policy.escalation_holds(False, None, due))

    def test_promise_compared_at_the_currency_rounding(self):
        self.assertEqual(policy.promise_state(1, 2, 500.04, 1000.14, 500.10, 0.0, 0.01), "kept")
        self.assertEqual(policy.promise_state(1, 2, 500.05, 1000.14, 500.10, 0.0, 0.01), "broken")
        self.assertEqual(policy.promise_state(1, 2, 500.0, 1000.0, 501.0, 0.0, 1.0), "broken")


@tagged("post_install", "-at_install")
class TestDunningStageWithoutAction(DunningCommon):
    """A run moves a customer to the stage of its oldest dunnable item's days
    without a new action: down after a payment, up again as what is left
    grows older; a broken promise's escalation holds while its items are open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).sudo().credit_limit = 100000.0
        cls.check = cls.env["credit.policy.check"]

    def test_what_is_left_climbs_back_without_a_second_letter(self):
        old = self._overdue_invoice(self.customer, 500.0, 70)
        self._overdue_invoice(self.customer, 300.0, 10)
        self._run()
        self._pay(old, 500.0)
        self.assertFalse(self._run(), "no action: the 10-day invoice already received the lawyer's letter")
        self.assertEqual(self._stage(), self.stages[1])
        later = self.today + timedelta(days=40)
        with freeze_time(later):
            self.assertFalse(self._run(date=later), "50 days: still no second letter about the same invoice")
            self.assertEqual(self._stage(), self.stages[4], "50 days overdue: stage 4, shipping restricted")
            active = self.check._dunning_active_stage(self.customer, self.company)
            self.assertEqual(active.shipping_effect, "restrict")

    def test_broken_promise_escalation_holds_while_its_invoice_is_open(self):
        self._overdue_invoice(self.customer, 1000.0, 22)
        five_days_ago = self.today - timedelta(days=5)
        with freeze_time(five_days_ago):
            self._run(date=five_days_ago)
            self.assertEqual(self._stage(), self.stages[2])
            self.customer.with_user(self.controller).with_company(self.company).write(
                {"dunning_promise_amount": 600.0, "dunning_promise_date": five_days_ago + timedelta(days=2)}
            )
        line = self._line(self._run())
        self.assertEqual(line.promise_state, "broken")
        self.assertEqual(self._stage(), self.stages[3], "22 days overdue, promise broken: one stage up")
        tomorrow = self.today + timedelta(days=1)
        with freeze_time(tomorrow):
            self.assertFalse(self._run(date=tomorrow))
            self.assertEqual(self._stage(), self.stages[3], "the escalation holds while the invoice is open")
            self.assertEqual(self.check._dunning_active_stage(self.customer, self.company), self.stages[3])
