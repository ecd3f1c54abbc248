from odoo.tests import tagged

from .common import CreditExposureCommon, return_goods


@tagged("post_install", "-at_install")
class TestCreditReturnedAndCreditedGoodsAreNoOpenOrder(CreditExposureCommon):
    """POLICY.md §4: exposure = open receivables + delivered but not invoiced
    + confirmed orders *not yet delivered*. Goods delivered, invoiced, then
    returned by the customer and credited by a credit note are neither owed
    nor still to be delivered: of an order of 10 x 100.00, 6 kept and paid
    for by the invoice net of the credit note, the exposure is 600.00, not
    1,000.00 with the 4 returned units counted again as an open order. The
    same for units whose delivery was cancelled ("No Backorder")."""

    def test_returned_and_credited_quantity_leaves_the_exposure(self):
        order = self._order(self.customer, 10)
        picking = self._deliver(order, 10)
        self._invoice(order)
        return_goods(picking, 4)
        self.assertEqual(order.order_line.qty_delivered, 6.0)
        credit_note = order._create_invoices(final=True)
        self.assertEqual(credit_note.move_type, "out_refund")
        credit_note.action_post()
        self.assertEqual(order.order_line.qty_invoiced, 6.0)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["receivable"], 600.0, "1,000.00 invoiced less the 400.00 credit note")
        self.assertEqual(
            (exposure["open_order"], sum(exposure.values())), (0.0, 600.0),
            "the 4 returned and credited units are not an order still to be delivered",
        )

    def test_quantity_whose_delivery_was_cancelled_leaves_the_exposure(self):
        """The rest of an order shipped without a backorder (the warehouse
        answered "No Backorder": the moves of the 4 missing units are
        cancelled) is no longer to be delivered either."""
        order = self._order(self.customer, 10)
        picking = order.picking_ids
        picking.move_ids.quantity = 6
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")), "no backorder")
        self._invoice(order)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["receivable"], 600.0)
        self.assertEqual(
            (exposure["open_order"], sum(exposure.values())), (0.0, 600.0),
            "nothing is left to deliver: the 4 units' delivery was cancelled",
        )

    def test_cancelled_delivery_refreshes_the_customers_status(self):
        order = self._order(self.customer, 10)
        self._run_precommit()
        status = self.env["credit.policy.status"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(status.exposure, 1000.0)
        order.picking_ids.action_cancel()
        self._run_precommit()
        self.assertEqual(status.exposure, 0.0, "nothing is left to deliver, and the snapshot says so at once")
