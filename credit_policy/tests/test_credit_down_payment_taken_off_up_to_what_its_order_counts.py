from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditDownPaymentTakenOffUpToWhatItsOrderCounts(CreditExposureCommon):
    """POLICY.md §4: a down payment is taken off the exposure because its
    order's value counts too; it pays for that order, not for the customer's
    other debts. An order of 10 x 100.00 due beyond the 30-day horizon, 300.00
    paid down on it, 1 unit shipped early: the exposure counts the 100.00
    shipped, and the down payment covers it; the 200.00 left of the down
    payment pays for goods not counted yet (the 9 units beyond the horizon),
    not for another invoice of the customer."""

    def _early_shipment(self, paid):
        order = self._order(self.customer, 10, days=60)  # beyond the horizon
        if paid:
            self._paid_down_payment(order, 300.0)
        else:
            self._down_payment_invoice(order, 300.0)
        self._deliver(order, 1)
        return order

    def test_paid_down_payment_covers_the_goods_shipped_only(self):
        self._early_shipment(paid=True)
        self._overdue_invoice(500.0, 0)  # another debt of the customer
        exposure = self._exposure(self.customer)
        self.assertEqual((exposure["delivered_uninvoiced"], exposure["open_order"]), (100.0, 0.0))
        self.assertEqual(exposure["down_payment"], -100.0, "up to the 100.00 its order counts")
        self.assertEqual(
            self._figures(self.customer)["exposure"], 500.0,
            "the other invoice is owed whole: the down payment is no payment of it",
        )

    def test_unpaid_down_payment_invoice_stays_owed(self):
        self._early_shipment(paid=False)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["receivable"], 300.0, "the down payment invoice")
        self.assertEqual(exposure["down_payment"], -100.0)
        self.assertEqual(self._figures(self.customer)["exposure"], 300.0)

    def test_order_counted_whole_takes_off_its_whole_down_payment(self):
        order = self._order(self.customer, 10, days=5)
        self._paid_down_payment(order, 300.0)
        self._deliver(order, 1)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["down_payment"], -300.0)
        self.assertEqual(self._figures(self.customer)["exposure"], 700.0)
