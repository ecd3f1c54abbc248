from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.credit_policy import policy

from .common import CreditPolicyDeliveryCase


@tagged("post_install", "-at_install")
class TestDeliveryBlockPaths(CreditPolicyDeliveryCase):
    """The block looks at what each move ships, not at the delivery's header."""

    def test_any_operation_type_shipping_to_a_customer_is_checked(self):
        for picking_type in (self.env.ref("stock.picking_type_internal"), self.picking_type_in):
            picking = self._create_delivery(15, picking_type=picking_type)
            picking.location_id = self.stock_location
            wizard = self._assert_prompt(self._validate(picking))
            self.assertEqual(wizard.release_ids.partner_id, self.customer, picking_type.name)
            self.assertEqual(picking.state, "assigned")
            picking.move_ids.picked = True
            with self.assertRaisesRegex(UserError, "blocked by the credit policy"):
                picking.with_user(self.warehouse_user)._action_done()

    def test_editing_the_partner_does_not_change_the_customer_checked(self):
        picking = self._create_sale_delivery(12)
        cash_customer = self.env["res.partner"].create({"name": "Unlimited Cash Customer"})
        # Header fields the warehouse can edit: the moves still carry the order
        # lines, whose customer is checked; a transfer naming another customer
        # than its goods' order is refused outright.
        picking.write({"partner_id": cash_customer.id, "sale_id": False})
        with self.assertRaisesRegex(UserError, "addressed to Unlimited Cash Customer"):
            self._validate(picking)
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "addressed to Unlimited Cash Customer"):
            picking.with_user(self.warehouse_user)._action_done()
        picking.partner_id = self.contact
        wizard = self._assert_prompt(self._validate(picking))
        self.assertEqual(wizard.release_ids.partner_id, self.customer)
        with self.assertRaisesRegex(UserError, self.customer.name):
            picking.with_user(self.warehouse_user)._action_done()

    def test_delivery_without_customer_is_refused(self):
        picking = self._create_delivery(1)
        picking.partner_id = False
        with self.assertRaisesRegex(UserError, "cannot be credit-checked"):
            self._validate(picking)
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.credit_release_ids)
        # Naming the customer lets it ship (within the limit).
        picking.partner_id = self.contact
        self.assertIs(self._validate(picking), True)

    def test_moves_of_a_delivery_are_checked_for_their_order_customer(self):
        # Goods added without an order line to the delivery of an order are
        # that order's (Odoo adds them to it when validating): they are checked
        # against its customer's credit, whatever the transfer's partner, and a
        # transfer naming another customer is refused.
        picking = self._create_sale_delivery(12)
        cash_customer = self.env["res.partner"].create({"name": "Unlimited Cash Customer"})
        picking.partner_id = cash_customer
        picking.move_ids = [
            Command.create(
                {
                    "name": self.product.name,
                    "product_id": self.product.id,
                    "product_uom_qty": 1,
                    "product_uom": self.product.uom_id.id,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                }
            )
        ]
        picking.action_assign()
        with self.assertRaisesRegex(UserError, "addressed to Unlimited Cash Customer"):
            self._validate(picking)
        picking.partner_id = self.contact
        wizard = self._assert_prompt(self._validate(picking))
        self.assertEqual(wizard.release_ids.partner_id, self.customer)
        self.assertEqual(wizard.release_ids.amount, 1300.0)

    def test_ready_deliveries_check_finds_any_operation_type(self):
        picking = self._create_delivery(15, picking_type=self.env.ref("stock.picking_type_internal"))
        self.env["credit.policy.release"]._cron_check_ready_deliveries()
        self.assertEqual(picking.credit_release_ids.state, "blocked")


@tagged("post_install", "-at_install")
class TestReleaseRules(CreditPolicyDeliveryCase):
    """The release rules of policy.py on their boundaries."""

    def test_release_still_valid(self):
        now = datetime(2026, 5, 1, 12, 0)
        later = now + timedelta(days=7)
        valid = policy.release_still_valid
        self.assertTrue(valid(1000.0, 1050.0, 5.0, later, now))
        self.assertFalse(valid(1000.0, 1050.01, 5.0, later, now))
        self.assertTrue(valid(1000.0, 1000.0, 0.0, later, now))
        self.assertFalse(valid(1000.0, 1000.01, 0.0, later, now))
        self.assertTrue(valid(1000.0, 1000.0, 5.0, now, now), "valid up to its expiry included")
        self.assertFalse(valid(1000.0, 1000.0, 5.0, now, now + timedelta(seconds=1)))
        self.assertTrue(valid(1000.0, 900.0, 5.0, None, now + timedelta(days=999)), "no expiry")

    def test_release_needs_manager(self):
        needs = policy.release_needs_manager
        self.assertFalse(needs(1200.0, 1200.0, []))
        self.assertTrue(needs(1200.01, 1200.0, []))
        self.assertFalse(needs(10**9, 0.0, ["over_limit"]), "0 = no threshold")
        self.assertTrue(needs(1.0, 0.0, ["over_limit", policy.DUNNING_STOP_CODE]))
