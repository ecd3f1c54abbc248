from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditPolicyDeliveryCase, return_goods


@tagged("post_install", "-at_install")
class TestDeliveryAddsWhatTheOrderDoesNotCount(CreditPolicyDeliveryCase):
    """A delivery is checked with what it adds to the exposure: nothing for the
    goods its confirmed order line counts already, their value for goods
    shipped beyond the ordered quantity or early, whatever the deliveries
    validated with it. The customer's limit is 1,000; a widget sells at 100."""

    def _ship(self, picking, quantity):
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        return picking

    def _second_delivery_of(self, line, quantity):
        """Another transfer shipping ``quantity`` of order line ``line``."""
        picking = self.env["stock.picking"].create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": self.picking_type_out.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customer_location.id,
                            "sale_line_id": line.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return self._ship(picking, quantity)

    def test_goods_shipped_beyond_the_ordered_quantity_add_their_value(self):
        # The order (8 × 100) is within the limit; shipping 15 takes the exposure to 1,500.
        picking = self._ship(self._create_sale_delivery(8), 15)
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (1500.0, 700.0))
        self.assertEqual(result.figures["exposure"], 1500.0)
        self.assertIn("over_limit", result.failure_codes)
        wizard = self._assert_prompt(self._validate(picking))
        self.assertEqual(picking.state, "assigned")
        self.assertRecordValues(wizard.release_ids, [{"amount": 1500.0, "exposure_amount": 1500.0}])

    def test_shipping_the_ordered_quantity_in_parts_adds_nothing_until_it_is_exceeded(self):
        picking = self._ship(self._create_sale_delivery(8), 5)
        self.assertEqual(picking._credit_policy_evaluate()[:2], (500.0, 0.0))
        picking.with_user(self.warehouse_user).with_context(skip_backorder=False)._action_done()
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 3.0)
        self.assertEqual(self._ship(backorder, 3)._credit_policy_evaluate()[:2], (300.0, 0.0))
        # Six where three remain: three beyond the order, 800 + 300 > 1,000.
        value, uncounted, result = self._ship(backorder, 6)._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (600.0, 300.0))
        self.assertEqual(result.figures["exposure"], 1100.0)
        self._assert_prompt(self._validate(backorder))

    def test_goods_invoiced_ahead_add_nothing_even_beyond_the_horizon(self):
        # An order due after the horizon is not an open order, but once invoiced
        # ahead of delivery its value is a receivable already.
        self.product.invoice_policy = "order"
        picking = self._create_sale_delivery(6, due_in_days=90)
        invoice = picking.sale_id._create_invoices()
        invoice.action_post()
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (600.0, 0.0))
        self.assertEqual(result.figures["exposure"], 600.0)
        self.assertFalse(result.blocked)
        self.assertIs(self._validate(picking), True)

    def test_deliveries_of_one_order_line_validated_together_add_up(self):
        # Two transfers of 6 for a line of 8: together 4 beyond the order.
        first = self._ship(self._create_sale_delivery(8), 6)
        second = self._second_delivery_of(first.move_ids.sale_line_id, 6)
        self.assertFalse(first._credit_policy_evaluate()[2].blocked, "alone, each stays within the order")
        self.assertFalse(second._credit_policy_evaluate()[2].blocked)
        # (the backorder of the first's two left is not asked about here)
        both = (first | second).with_user(self.warehouse_user).with_context(skip_backorder=True)
        wizard = self._assert_prompt(both.button_validate())
        self.assertRecordValues(
            wizard.release_ids, [{"picking_id": second.id, "amount": 600.0, "exposure_amount": 1200.0}]
        )
        self.assertEqual((first | second).mapped("state"), ["assigned", "assigned"])
        # The hard guard counts them together too, whatever the path.
        with self.assertRaisesRegex(UserError, second.name):
            (first | second).move_ids.with_user(self.warehouse_user)._action_done()

    def test_goods_shipped_without_an_order_then_returned_leave_the_snapshot(self):
        self.company.credit_unordered_shipment_days = 90
        picking = self._create_delivery(4)
        self.assertIs(self._validate(picking), True)
        self.env.cr.flush()
        status = self.env["credit.policy.status"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(status.exposure, 400.0, "shipped, not invoiced")
        return_goods(picking, 4)
        self.env.cr.flush()
        status.invalidate_recordset()
        self.assertEqual(status.exposure, 0.0, "back in stock")

    def _dirty_customers(self):
        return self.env.cr.precommit.data.get("credit_policy.status.dirty", {}).get(self.company.id, set())

    def _snapshot_matches_the_figures(self):
        self.env.cr.flush()
        status = self.env["credit.policy.status"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )
        figures = self.env["credit.policy.check"]._get_credit_figures(self.customer, self.company)[self.customer.id]
        self.assertEqual(status.exposure, figures["exposure"])
        return status

    def test_a_delivery_within_its_order_leaves_the_snapshot_as_it_is(self):
        """The guard valued what the delivery adds: nothing for goods within
        the ordered quantity, so the customer's snapshot is not computed again
        at commit; goods beyond it add their value, and the snapshot follows."""
        picking = self._ship(self._create_sale_delivery(8), 5)
        self.assertEqual(self._snapshot_matches_the_figures().exposure, 800.0)
        picking.with_user(self.warehouse_user).with_context(skip_backorder=False)._action_done()
        self.assertEqual(picking.state, "done")
        self.assertNotIn(self.customer.id, self._dirty_customers(), "nothing to refresh")
        self.assertEqual(self._snapshot_matches_the_figures().exposure, 800.0)
        backorder = self._ship(picking.backorder_ids, 5)  # 3 left on the order: 2 beyond it
        self.customer.with_company(self.company).sudo().credit_limit = 5000.0
        self.assertIs(self._validate(backorder), True)
        self.assertIn(self.customer.id, self._dirty_customers())
        self.assertEqual(self._snapshot_matches_the_figures().exposure, 1000.0)

    def test_a_delivery_of_an_order_with_a_down_payment_refreshes_the_snapshot(self):
        """What is taken off for a down payment depends on what was delivered:
        the snapshot is computed again even for goods within the order."""
        picking = self._ship(self._create_sale_delivery(8), 5)
        order = picking.sale_id
        self.env["sale.order.line"].create(
            {"order_id": order.id, "name": "Down payment", "product_uom_qty": 0.0, "price_unit": 100.0,
             "is_downpayment": True, "tax_id": False}
        )
        self.env.cr.flush()
        picking.with_user(self.warehouse_user).with_context(skip_backorder=False)._action_done()
        self.assertIn(self.customer.id, self._dirty_customers())
        self._snapshot_matches_the_figures()

    def test_a_confirmed_order_falling_due_elsewhere_refreshes_the_snapshot(self):
        """The horizon counts the open orders due within it: moving a
        confirmed order's commitment date changes the exposure at once."""
        self.company.credit_exposure_horizon_days = 30
        order = self._create_sale_delivery(8, due_in_days=60).sale_id
        self.assertEqual(self._snapshot_matches_the_figures().exposure, 0.0, "beyond the horizon")
        order.commitment_date = fields.Datetime.now()
        self.assertIn(self.customer.id, self._dirty_customers())
        self.assertEqual(self._snapshot_matches_the_figures().exposure, 800.0)

    def test_a_delivery_of_an_order_in_another_currency_refreshes_the_snapshot(self):
        """Each exposure component is converted and rounded on its own: goods
        moving from open orders to delivered, not invoiced may move a cent."""
        company_currency = self.company.currency_id
        other = self.env.ref("base.EUR") if company_currency.name != "EUR" else self.env.ref("base.USD")
        other.active = True
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": other.id})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 8, "price_unit": 10.05, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(order.currency_id, other)
        self.env.cr.flush()
        picking = self._ship(order.picking_ids, 5)
        picking.with_user(self.warehouse_user).with_context(skip_backorder=False)._action_done()
        self.assertIn(self.customer.id, self._dirty_customers())
        self._snapshot_matches_the_figures()
