from odoo.tests import tagged

from odoo.addons.credit_policy import policy

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditDebtWithoutLimit(CreditExposureCommon):
    """POLICY.md §4 (002): a customer with debt but no limit may only see the
    debt go down; before the previous debt is settled, no new credit."""

    def setUp(self):
        super().setUp()
        self.debtor = self._credit_customer("Debtor Without Limit", 0.0)
        order = self._order(self.debtor, 3)
        self._deliver(order, 3)
        self.invoice = self._invoice(order)

    def _evaluate(self, amount):
        return self.env["credit.policy.check"]._evaluate(self.debtor, self.company, amount=amount)

    def test_pure_rule_boundaries(self):
        self.assertTrue(policy.debt_without_limit_grows(0.0, 0.01, 100.0))
        self.assertFalse(policy.debt_without_limit_grows(0.0, 0.0, 100.0), "no debt")
        self.assertFalse(policy.debt_without_limit_grows(0.0, 300.0, 0.0), "nothing new")
        self.assertFalse(policy.debt_without_limit_grows(1000.0, 300.0, 100.0), "a limit governs")

    def test_open_orders_are_not_debt(self):
        newcomer = self._credit_customer("Newcomer Without Debt", 0.0)
        self._order(newcomer, 2)
        result = self.env["credit.policy.check"]._evaluate(newcomer, self.company, amount=100.0)
        self.assertNotIn("debt_without_limit", result.failure_codes)

    def test_new_credit_refused_while_debt_is_open(self):
        result = self._evaluate(100.0)
        self.assertEqual(result.failure_codes, ["debt_without_limit"])
        self.assertIn("300", result.failures[0].message)
        self.assertFalse(self._evaluate(0.0).blocked, "an already counted delivery adds nothing")

    def test_order_blocked_in_block_mode_then_allowed_once_paid(self):
        self.company.credit_check_mode = "block"
        order = self._order(self.debtor, 1, confirm=False)
        action = order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(action["res_model"], "credit.policy.order.check.wizard")
        self._pay(self.invoice, self.invoice.amount_total)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_setting_turns_the_rule_off(self):
        self.company.credit_block_debt_without_limit = False
        self.assertFalse(self._evaluate(100.0).blocked)

    def test_customer_with_a_limit_is_governed_by_the_limit(self):
        self.debtor.with_company(self.company).credit_limit = 1000.0
        self.assertFalse(self._evaluate(100.0).blocked)
