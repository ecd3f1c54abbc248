from odoo.tests import Form, tagged

from odoo.addons.credit_policy import policy

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditDebtWithoutLimit(CreditExposureCommon):
    """POLICY.md §4 (002): a customer with debt but no limit may only see the
    debt go down; before the previous debt is settled, no new credit. A quotation
    paid in advance adds no new credit; a blocked one may ask for a temporary limit."""

    def setUp(self):
        super().setUp()
        self.debtor = self._credit_customer("Debtor Without Limit", 0.0)
        order = self._order(self.debtor, 3)
        self._deliver(order, 3)
        self.invoice = self._invoice(order)

    def _evaluate(self, amount):
        return self.env["credit.policy.check"]._evaluate(self.debtor, self.company, amount=amount)

    def _deliver_order(self, partner):
        order = self._order(partner, 3)
        self._deliver(order, 3)
        return order

    def test_pure_rule_boundaries(self):
        self.assertTrue(policy.debt_without_limit_grows(0.0, 0.01, 100.0))
        self.assertFalse(policy.debt_without_limit_grows(0.0, 0.0, 100.0), "no debt")
        self.assertFalse(policy.debt_without_limit_grows(0.0, 300.0, 0.0), "nothing new")
        self.assertFalse(policy.debt_without_limit_grows(1000.0, 300.0, 100.0), "a limit governs")

    def test_debt_is_the_whole_exposure(self):
        """Goods delivered, draft invoices and open orders are debt too: a
        customer without a limit with an open order gets no second one."""
        newcomer = self._credit_customer("Newcomer With An Open Order", 0.0)
        check = self.env["credit.policy.check"]
        self.assertFalse(check._evaluate(newcomer, self.company, amount=100.0).blocked)
        order = self._order(newcomer, 2)
        result = check._evaluate(newcomer, self.company, amount=100.0)
        self.assertEqual(result.failure_codes, ["debt_without_limit"])
        self._deliver(order, 2)
        self.assertEqual(check._evaluate(newcomer, self.company, amount=100.0).failure_codes, ["debt_without_limit"])

    def test_maximum_order_without_limit(self):
        newcomer = self._credit_customer("Newcomer", 0.0)
        check = self.env["credit.policy.check"]
        self.company.credit_new_customer_max_order = 500.0
        self.assertFalse(check._evaluate(newcomer, self.company, amount=500.0).blocked)
        self.assertEqual(
            check._evaluate(newcomer, self.company, amount=500.01).failure_codes, ["new_customer_max_order"]
        )
        self.company.credit_new_customer_max_order = 0.0
        self.assertEqual(
            check._evaluate(newcomer, self.company, amount=0.01).failure_codes, ["new_customer_max_order"],
            "0: nothing on credit",
        )
        self.assertFalse(check._evaluate(newcomer, self.company, amount=0.0).blocked)

    def test_status_says_there_is_no_limit(self):
        newcomer = self._credit_customer("Newcomer", 0.0)
        newcomer.invalidate_recordset()
        self.assertEqual(newcomer.credit_status, "no_limit")
        self.debtor.invalidate_recordset()
        self.assertEqual(self.debtor.credit_status, "no_limit_debt")
        self.assertLess(self.debtor.credit_available, 0)

    def test_policy_defaults_catch_customers_without_limit(self):
        company = self.env["res.company"].create({"name": "Fresh Company"})
        self.assertEqual(company.credit_no_limit_mode, "cash")
        self.assertGreater(company.credit_new_customer_max_order, 0)
        self.assertGreater(company.credit_max_overdue_percent, 0)
        self.assertGreater(company.credit_max_overdue_days, 0)
        self.assertGreater(company.credit_overdue_tolerance_amount, 0)

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
        self.company.credit_no_limit_mode = "unrestricted"
        self.assertFalse(self._evaluate(100.0).blocked)

    def test_customer_with_a_limit_is_governed_by_the_limit(self):
        self.debtor.with_company(self.company).credit_limit = 1000.0
        self.assertFalse(self._evaluate(100.0).blocked)

    def test_paid_quotation_of_debtor_without_limit_confirms(self):
        self.company.credit_check_mode = "block"
        debtor = self._credit_customer("Paying Debtor", 0.0)
        self._invoice(self._deliver_order(debtor))
        quotation = self._order(debtor, 1, confirm=False)
        self.assertEqual(quotation._credit_evaluate().failure_codes, ["debt_without_limit"])
        self._paid_down_payment(quotation, quotation.amount_total)
        self.assertEqual(quotation._credit_check_amount(), 0.0)
        quotation.action_confirm()
        self.assertEqual(quotation.state, "sale")

    def test_debt_without_limit_offers_a_temporary_limit(self):
        self.company.credit_check_mode = "block"
        debtor = self._credit_customer("Debtor Asking", 0.0)
        self._invoice(self._deliver_order(debtor))
        quotation = self._order(debtor, 1, confirm=False)
        wizard = Form.from_action(self.env, quotation.action_confirm()).save()
        self.assertEqual(wizard.shortfall, 400.0, "the debt and the order")
        action = wizard.action_request_temporary_limit()
        request = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(request.amount, 400.0)
        self.assertEqual(request.partner_id, debtor)
