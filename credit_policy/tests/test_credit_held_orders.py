from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditHeldOrders(CreditExposureCommon):
    """Quotations the credit check refused or warned about are listed for credit
    staff, with the rules, salesperson and age, and the actions the policy allows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, "cp_held_sales", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )
        cls.controller = new_test_user(
            cls.env, "cp_held_ctrl", groups="credit_policy.group_credit_policy_controller",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )

    def _held(self):
        action = self.env.ref("credit_policy.credit_policy_held_order_action")
        return self.env["sale.order"].with_user(self.controller).search(
            eval(action.domain) + [("credit_hold_state", "=", "refused"), ("state", "in", ("draft", "sent"))]
        )

    def test_refused_quotation_is_listed_until_confirmed(self):
        self.company.credit_check_mode = "block"
        order = self._order(self.customer, 12, confirm=False)
        order.user_id = self.salesman
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertIn(order, self._held())
        self.assertIn("exceeds the effective credit limit", order.credit_hold_rules)
        self.assertEqual(order.credit_hold_age_days, 0)
        # Request a temporary limit from the list: the order check prompt.
        wizard = Form.from_action(self.env, order.with_user(self.controller).action_credit_request_temporary_limit())
        self.assertEqual(wizard.shortfall, 200.0)
        # Notify the salesperson: a to-do for him.
        order.with_user(self.controller).action_credit_notify_salesperson()
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.salesman))
        # Confirmed later (credit room again): no longer held.
        self.customer.with_company(self.company).sudo().credit_limit = 5000.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_hold_state)
        self.assertNotIn(order, self._held())

    def test_warned_order_is_recorded(self):
        self.company.credit_check_mode = "warn"
        order = self._order(self.customer, 12)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_hold_state, "warned")

    def test_only_the_server_records_the_verdict(self):
        order = self._order(self.customer, 1, confirm=False).with_user(self.salesman)
        with self.assertRaises(UserError):
            order.write({"credit_hold_state": "refused"})
        forged = self.env["sale.order"].with_user(self.salesman).create(
            {"partner_id": self.customer.id, "credit_hold_state": "warned", "credit_hold_rules": "x"}
        )
        self.assertFalse(forged.credit_hold_state)
        self.assertFalse(forged.credit_hold_rules)
        with self.assertRaises(AccessError):
            order.action_credit_notify_salesperson()
