from odoo.tests import TransactionCase, tagged

from odoo.addons.credit_policy import policy


@tagged("post_install", "-at_install")
class TestCreditPolicyRules(TransactionCase):
    """The pure rules of POLICY.md §4 on their boundaries."""

    def test_usage_band_boundaries(self):
        self.assertEqual(policy.usage_band(79.99, 100, 80, 90), policy.BAND_OK)
        self.assertEqual(policy.usage_band(80, 100, 80, 90), policy.BAND_WARN)
        self.assertEqual(policy.usage_band(90, 100, 80, 90), policy.BAND_ALERT)
        self.assertEqual(policy.usage_band(100, 100, 80, 90), policy.BAND_ALERT)
        self.assertEqual(policy.usage_band(100.01, 100, 80, 90), policy.BAND_OVER)
        self.assertEqual(policy.usage_band(500, 0, 80, 90), policy.BAND_OK, "no limit, no usage")

    def test_escalation_crossings(self):
        self.assertEqual(policy.escalation_crossings("ok", "warn"), ["warn"])
        self.assertEqual(policy.escalation_crossings("ok", "over"), ["warn", "alert", "over"])
        self.assertEqual(policy.escalation_crossings("alert", "over"), ["over"])
        self.assertEqual(policy.escalation_crossings("over", "warn"), [])
        self.assertEqual(policy.escalation_crossings("warn", "warn"), [])

    def test_rule_predicates(self):
        self.assertTrue(policy.exceeds_effective_limit(101, 100))
        self.assertFalse(policy.exceeds_effective_limit(100, 100))
        self.assertFalse(policy.exceeds_effective_limit(1000, 0), "no limit: new-customer rule instead")
        self.assertTrue(policy.new_customer_order_exceeded(0, 501, 500))
        self.assertFalse(policy.new_customer_order_exceeded(0, 500, 500))
        self.assertFalse(policy.new_customer_order_exceeded(100, 501, 500))
        self.assertTrue(policy.new_customer_order_exceeded(0, 0.01, 0), "0: nothing on credit")
        self.assertFalse(policy.new_customer_order_exceeded(0, 0, 0))
        self.assertTrue(policy.overdue_share_exceeded(31, 100, 30, 0))
        self.assertFalse(policy.overdue_share_exceeded(31, 100, 30, 31), "small amount ignored")
        self.assertFalse(policy.overdue_share_exceeded(31, 100, 0, 0), "0 disables")
        self.assertTrue(policy.overdue_days_exceeded(31, 30))
        self.assertFalse(policy.overdue_days_exceeded(30, 30))
        self.assertEqual(policy.prepayment_due(1000, 30, 100), 200)
        self.assertEqual(policy.prepayment_due(1000, 30, 400), 0)
        self.assertEqual(policy.prepayment_due(1000, 0, 0), 0)
        self.assertEqual(policy.effective_limit(1000, [200, 300]), 1500, "temporary limits add up")
        self.assertEqual(policy.temporary_limit_shortfall(1200, 1000), 200)
        over_sub_limit = policy.RuleFailure("over_sub_limit", "m", {"exposure": 700.0, "limit": 300.0})
        self.assertEqual(
            policy.temporary_limit_request_amount([over_sub_limit], 5000.0, 10000.0), 400.0,
            "a member over its own sub-limit is offered what brings it back under it",
        )
        self.assertEqual(policy.usage_band(901.80, 1002.0, 80, 90), policy.BAND_ALERT, "exactly 90 %")
        self.assertFalse(policy.overdue_share_exceeded(300.60, 1002.0, 30, 0), "exactly 30 %")
        self.assertFalse(policy.exceeds_effective_limit(500.3, 300.1 + 200.2), "at the limit, as money")
        self.assertTrue(policy.CreditCheckResult(1, 1, failures=[policy.RuleFailure("x", "y")]).blocked)
