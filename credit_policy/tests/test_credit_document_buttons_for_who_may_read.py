from odoo.tests import HttpCase, new_test_user, tagged

from .common import ButtonAssertions, CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditDocumentButtonsForWhoMayRead(ButtonAssertions, RpcMixin, CreditGradingCommon, HttpCase):
    """The customer form's buttons opening the documents behind a credit
    figure (open receivables, overdue items, open orders) show to whom may
    read those documents; the figures themselves stay on the Credit tab."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = new_test_user(cls.env, "cpd_stock", groups="stock.group_stock_user")

    def test_receivables_buttons_hidden_from_warehouse_staff(self):
        self.assertFlag(
            self.customer, "credit_can_view_receivables",
            allowed=[self.credit_manager, self.finance], refused=[self.warehouse],
        )
        for button in ("action_view_credit_receivables", "action_view_credit_overdue"):
            self.assertButtonHiddenBy(self.customer, self.warehouse, button, "credit_can_view_receivables")
        # What the button would open is refused to them all the same.
        with self.assertRaisesRegex(Exception, "your role does not show"):
            self.customer.with_user(self.warehouse).action_view_credit_receivables()

    def test_open_orders_button_follows_read_access_to_orders(self):
        self.assertFlag(
            self.customer, "credit_can_view_orders", allowed=[self.salesperson, self.credit_manager],
        )
        self.assertButtonHiddenBy(self.customer, self.salesperson, "action_view_credit_orders", "credit_can_view_orders")
        self.assertEqual(
            self._flag(self.customer, self.warehouse, "credit_can_view_orders"),
            self.env["sale.order"].with_user(self.warehouse).has_access("read"),
        )
