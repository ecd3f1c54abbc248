from unittest.mock import patch

from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditOpenOrderHorizon(CreditExposureCommon):
    """One horizon rule for open orders: their down payments, the deliveries
    counted in the exposure, and one horizon query for all the moves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = cls.env["credit.policy.check"]

    def test_down_payment_beyond_horizon_not_subtracted(self):
        order = self._order(self.customer, 10, days=60)  # horizon is 30 days
        self._paid_down_payment(order, 300.0)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["open_order"], 0.0)
        self.assertEqual(exposure["down_payment"], 0.0, "the order is not counted: nothing to deduct")
        self.assertEqual(self._figures(self.customer)["exposure"], 0.0)

    def test_down_payment_within_horizon_subtracted(self):
        order = self._order(self.customer, 10, days=5)
        self._paid_down_payment(order, 300.0)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["open_order"], 1000.0)
        self.assertEqual(exposure["down_payment"], -300.0)

    def test_delivery_uses_the_same_horizon_rule(self):
        within = self._order(self.customer, 1, days=5)
        beyond = self._order(self.customer, 1, days=60)
        for order, counted in ((within, 1.0), (beyond, 0.0)):
            move = order.picking_ids.move_ids
            move.quantity = 1
            self.assertEqual(
                self.check._order_line_counted_quantities(order.order_line, self.company),
                {order.order_line.id: (0.0, counted, 1.0)},
            )
            picking = order.picking_ids
            self.assertEqual(
                picking._credit_policy_uncounted_quantities(picking._credit_policy_line_quantities(move, move.browse())),
                {order.order_line: (1.0 - counted, 0.0)},
                "within its order either way",
            )

    def test_counted_quantities_in_one_query(self):
        within = self._order(self.customer, 1, days=5)
        beyond = self._order(self.customer, 1, days=60)
        picking = within.picking_ids
        beyond.picking_ids.move_ids.picking_id = picking
        moves = picking.move_ids
        moves.quantity = 1
        with patch.object(
            type(self.check), "_order_line_counted_quantities", autospec=True,
            side_effect=type(self.check)._order_line_counted_quantities,
        ) as spy:
            uncounted = picking._credit_policy_uncounted_quantities(
                picking._credit_policy_line_quantities(moves, moves.browse())
            )
        self.assertEqual(spy.call_count, 1)
        self.assertEqual(
            uncounted,
            {line: (0.0 if line.order_id == within else 1.0, 0.0) for line in moves.sale_line_id},
        )
