import json

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import CreditPolicyDeliveryMixin


@tagged("post_install", "-at_install")
class TestDeliveryCustomerFromFacts(CreditPolicyDeliveryMixin, HttpCase):
    """The credit account a delivery charges comes from facts the validating
    user cannot redirect: the invoiced customer of the order its goods belong
    to. Tried over JSON-RPC by users with sales and stock rights, as a script
    would, against a customer whose delivery of 1,500 is blocked (limit 1,000)
    while a rich customer has room."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.attacker = new_test_user(
            cls.env,
            "cp_facts_sales_stock",
            groups="sales_team.group_sale_salesman_all_leads,stock.group_stock_user,base.group_partner_manager",
        )
        cls.stock_admin = new_test_user(
            cls.env,
            "cp_facts_sales_stock_admin",
            groups="sales_team.group_sale_salesman_all_leads,stock.group_stock_manager",
        )
        cls.rich = cls.env["res.partner"].create(
            {"name": "Rich Customer Ltd", "is_company": True, "credit_limit": 1000000.0}
        )
        cls.rich_order = cls._order_for(cls.rich, 1)

    @classmethod
    def _order_for(cls, partner, qty):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "commitment_date": fields.Datetime.now(),
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": qty, "price_unit": 100.0, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _call(self, user, model, method, args, kwargs=None):
        """Call ``method`` through the JSON-RPC dispatcher as ``user``; an
        error is raised with its name and message (what the client shows)."""
        self.authenticate(user.login, user.login)
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        response = self.url_open(
            "/web/dataset/call_kw",
            json.dumps({"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}).encode(),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            error = body["error"]["data"]
            raise JsonRpcException(body["error"]["code"], f"{error['name']}: {error['message']}")
        return body.get("result")

    def _assert_refused(self, user, model, method, args, kwargs=None, message=""):
        """The call is refused with a UserError whose message matches ``message``."""
        with self.assertRaisesRegex(JsonRpcException, f"(?s)odoo.exceptions.UserError: .*{message}"):
            self._call(user, model, method, args, kwargs)

    def _validate_rpc(self, picking, user=None):
        return self._call(
            user or self.attacker, "stock.picking", "button_validate", [picking.ids], {"context": {"skip_backorder": True}}
        )

    def _assert_not_shipped(self, picking):
        """The blocked delivery is still waiting: validating it prompts for a
        release of the limited customer's credit."""
        picking.invalidate_recordset()
        self.assertEqual(picking.state, "assigned")
        picking.move_ids.invalidate_recordset()
        if picking.move_ids.sale_line_id.order_id.partner_invoice_id == self.customer:
            action = self._validate_rpc(picking)
            self.assertEqual(action["res_model"], "credit.policy.delivery.block.wizard")
            self.assertEqual(picking.credit_release_ids.partner_id, self.customer)
            self.assertEqual(picking.state, "assigned")

    def _customer_stock(self):
        return self.env["stock.quant"]._get_available_quantity(self.product, self.customer_location)

    # ------------------------------------------------------------------
    # The order links of a delivery
    # ------------------------------------------------------------------
    def test_move_cannot_be_repointed_to_another_customers_order_line(self):
        picking = self._create_sale_delivery(15)
        rich_line = self.rich_order.order_line
        self._assert_refused(self.attacker, "stock.move", "write", [picking.move_ids.ids, {"sale_line_id": rich_line.id}])
        # Nor unlinked from its order, to be charged to the transfer's partner.
        self._assert_refused(self.attacker, "stock.move", "write", [picking.move_ids.ids, {"sale_line_id": False}])
        self._assert_not_shipped(picking)

    def test_order_line_and_transfer_cannot_be_handed_to_another_order(self):
        picking = self._create_sale_delivery(15)
        line = picking.move_ids.sale_line_id
        self._assert_refused(self.attacker, "sale.order.line", "write", [line.ids, {"order_id": self.rich_order.id}])
        self._assert_refused(self.attacker, "stock.picking", "write", [picking.ids, {"sale_id": self.rich_order.id}])
        self._assert_refused(
            self.attacker, "stock.picking", "write", [picking.ids, {"group_id": self.rich_order.picking_ids.group_id.id}]
        )
        self._assert_not_shipped(picking)

    def test_transfer_partner_disagreeing_with_its_order_is_refused(self):
        # The transfer's partner is set to the rich customer and the goods
        # moved off the order line onto a move of their own, as if they were
        # the rich customer's: they still are the order's, checked against
        # its customer's credit, and the transfer is refused.
        picking = self._create_sale_delivery(15)
        order_move = picking.move_ids
        self._call(
            self.attacker,
            "stock.picking",
            "write",
            [
                picking.ids,
                {
                    "partner_id": self.rich.id,
                    "move_ids": [
                        Command.update(order_move.id, {"product_uom_qty": 0, "quantity": 0}),
                        Command.create(
                            {
                                "name": self.product.name,
                                "product_id": self.product.id,
                                "product_uom_qty": 15,
                                "quantity": 15,
                                "picked": True,
                                "product_uom": self.product.uom_id.id,
                                "location_id": picking.location_id.id,
                                "location_dest_id": picking.location_dest_id.id,
                            }
                        ),
                    ],
                },
            ],
        )
        self._assert_refused(
            self.attacker,
            "stock.picking",
            "button_validate",
            [picking.ids],
            {"context": {"skip_backorder": True}},
            message="addressed to Rich Customer Ltd.*belong to order",
        )
        picking.invalidate_recordset()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._customer_stock(), 0.0)
        # Put back to the order's customer, the goods are checked against its credit.
        self._call(self.attacker, "stock.picking", "write", [picking.ids, {"partner_id": self.contact.id}])
        action = self._validate_rpc(picking)
        self.assertEqual(action["res_model"], "credit.policy.delivery.block.wizard")
        self.assertEqual(picking.credit_release_ids.partner_id, self.customer)
        self.assertEqual(picking.state, "assigned")

    def test_confirmed_order_keeps_its_invoiced_customer(self):
        picking = self._create_sale_delivery(15)
        order = picking.sale_id
        self._assert_refused(self.attacker, "sale.order", "write", [order.ids, {"partner_invoice_id": self.rich.id}])
        self._assert_refused(self.attacker, "sale.order", "write", [order.ids, {"partner_id": self.rich.id}])
        # Nor is the state written back by hand first (Confirm and Cancel only).
        for vals in ({"state": "draft", "partner_invoice_id": self.rich.id}, {"state": "draft"}):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.attacker, "sale.order", "write", [order.ids, vals])
        # A state written back as superuser frees nothing: the order has deliveries.
        order.sudo().state = "draft"
        self._assert_refused(self.attacker, "sale.order", "write", [order.ids, {"partner_invoice_id": self.rich.id}])
        order.sudo().state = "sale"
        order.invalidate_recordset()
        self.assertEqual(order.partner_invoice_id, self.customer)
        # Another address of the same customer is no change of credit account.
        invoice_address = self.env["res.partner"].create(
            {"name": "Accounts Payable", "parent_id": self.customer.id, "type": "invoice"}
        )
        self._call(self.attacker, "sale.order", "write", [order.ids, {"partner_invoice_id": invoice_address.id}])
        self.assertEqual(order.partner_invoice_id, invoice_address)
        self._assert_not_shipped(picking)

    def test_invoice_contact_moved_to_another_company_is_refused(self):
        # The order's invoice address is a contact of the limited customer;
        # moving that contact under the rich company would make the order
        # invoiced to it. The order was confirmed for the limited customer.
        accounts = self.env["res.partner"].create(
            {"name": "Accounts Payable", "parent_id": self.customer.id, "type": "invoice"}
        )
        picking = self._create_sale_delivery(15)
        order = picking.sale_id
        self.assertEqual(order.partner_invoice_id, accounts)
        self.assertEqual(order.credit_customer_id, self.customer)
        self._call(self.attacker, "res.partner", "write", [accounts.ids, {"parent_id": self.rich.id}])
        self.assertEqual(order.partner_invoice_id.commercial_partner_id, self.rich)
        self._assert_refused(
            self.attacker,
            "stock.picking",
            "button_validate",
            [picking.ids],
            {"context": {"skip_backorder": True}},
            message="confirmed for Delivery Block Customer Ltd but is now invoiced to Rich Customer Ltd",
        )
        picking.invalidate_recordset()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self._customer_stock(), 0.0)

    def test_credit_account_is_set_by_the_confirmation_only(self):
        order_id = self._call(
            self.attacker,
            "sale.order",
            "create",
            [{"partner_id": self.customer.id, "credit_customer_id": self.rich.id}],
            {"context": {"default_credit_customer_id": self.rich.id}},
        )
        order = self.env["sale.order"].browse(order_id)
        self.assertFalse(order.credit_customer_id)
        self._assert_refused(self.attacker, "sale.order", "write", [[order_id], {"credit_customer_id": self.rich.id}])
        # A quotation may still change customer.
        self._call(self.attacker, "sale.order", "write", [[order_id], {"partner_id": self.rich.id}])
        self.assertEqual(order.partner_invoice_id, self.rich)
        self._call(self.attacker, "sale.order", "write", [[order_id], {"partner_id": self.customer.id}])
        self._call(self.attacker, "sale.order", "action_confirm", [[order_id]])
        self.assertEqual(order.credit_customer_id, self.customer)

    def test_delivery_to_a_third_party_address_of_the_order_ships(self):
        # The order is invoiced to the rich customer and delivered to an
        # address of another company: the transfer agrees with its order.
        site = self.env["res.partner"].create({"name": "Building Site Ltd", "is_company": True})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.rich.id,
                "partner_shipping_id": site.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 15, "tax_id": False})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.picking_ids.partner_id, site)
        self.assertIs(self._validate_rpc(order.picking_ids), True)
        self.assertEqual(order.picking_ids.state, "done")

    def test_extra_goods_on_an_order_delivery_are_checked_for_its_customer(self):
        # Goods added to the order's delivery without an order line are the
        # order's (Odoo adds them to it): its customer's credit is checked.
        picking = self._create_sale_delivery(5)
        picking.move_ids.quantity = 0
        picking.move_ids = [
            Command.create(
                {
                    "name": self.product.name,
                    "product_id": self.product.id,
                    "product_uom_qty": 15,
                    "product_uom": self.product.uom_id.id,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                }
            )
        ]
        picking.action_assign()
        action = self._validate_rpc(picking)
        self.assertEqual(action["res_model"], "credit.policy.delivery.block.wizard")
        self.assertEqual(picking.credit_release_ids.partner_id, self.customer)

    # ------------------------------------------------------------------
    # Goods leaving for a customer without a delivery order
    # ------------------------------------------------------------------
    def test_quant_relocation_to_a_customer_location_is_refused(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.stock_location.id)]
        )
        wizard_id = self._call(
            self.stock_admin,
            "stock.quant.relocate",
            "create",
            [{"quant_ids": [Command.set(quant.ids)], "dest_location_id": self.customer_location.id}],
        )
        self._assert_refused(
            self.stock_admin,
            "stock.quant.relocate",
            "action_relocate_quants",
            [[wizard_id]],
            message="outside a transfer.*delivery order",
        )
        self.assertEqual(self._customer_stock(), 0.0)
        # Relocating within our stock still works.
        shelf = self.env["stock.location"].create({"name": "Shelf 9", "location_id": self.stock_location.id})
        wizard_id = self._call(
            self.stock_admin,
            "stock.quant.relocate",
            "create",
            [{"quant_ids": [Command.set(quant.ids)], "dest_location_id": shelf.id}],
        )
        self._call(self.stock_admin, "stock.quant.relocate", "action_relocate_quants", [[wizard_id]])
        self.assertEqual(sum(self.env["stock.quant"].search([("location_id", "=", shelf.id)]).mapped("quantity")), 1000.0)

    def test_move_without_transfer_to_a_customer_location_is_refused(self):
        # A scrap order pointed at the customer location: a move without
        # transfer, done at once.
        scrap_id = self._call(
            self.attacker,
            "stock.scrap",
            "create",
            [
                {
                    "product_id": self.product.id,
                    "scrap_qty": 15,
                    "location_id": self.stock_location.id,
                    "scrap_location_id": self.customer_location.id,
                }
            ],
        )
        self._assert_refused(
            self.attacker, "stock.scrap", "action_validate", [[scrap_id]], message="outside a transfer"
        )
        self.assertEqual(self._customer_stock(), 0.0)
        # Lower down, the same refusal.
        move = self.env["stock.move"].create(
            {
                "name": "Off the books",
                "product_id": self.product.id,
                "product_uom_qty": 15,
                "product_uom": self.product.uom_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.picked = True
        with self.assertRaisesRegex(UserError, "outside a transfer"):
            move.with_user(self.attacker)._action_done()
        with self.assertRaisesRegex(UserError, "outside a transfer"):
            move.with_user(self.attacker).sudo()._action_done()
        self.assertEqual(self._customer_stock(), 0.0)
        # Odoo's own flows run as the superuser are not shipping on credit.
        move._action_done()
        self.assertEqual(self._customer_stock(), 15.0)

    def test_inventory_adjustment_and_scrap_still_work(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.stock_location.id)]
        )
        inventory_mode = {"context": {"inventory_mode": True}}
        self._call(self.stock_admin, "stock.quant", "write", [quant.ids, {"inventory_quantity": 990}], inventory_mode)
        self._call(self.stock_admin, "stock.quant", "action_apply_inventory", [quant.ids], inventory_mode)
        self.assertEqual(quant.quantity, 990.0)
        scrap_id = self._call(
            self.attacker,
            "stock.scrap",
            "create",
            [{"product_id": self.product.id, "scrap_qty": 1, "location_id": self.stock_location.id}],
        )
        self._call(self.attacker, "stock.scrap", "action_validate", [[scrap_id]])
        self.assertEqual(quant.quantity, 989.0)

    def test_done_delivery_cannot_ship_more_after_the_fact(self):
        # Odoo lets a done transfer be unlocked and its detailed operations
        # edited, moving the stock again: not to ship more to a customer.
        picking = self._create_delivery(5)
        self.assertIs(self._validate_rpc(picking), True)
        self.assertEqual(self._customer_stock(), 5.0)
        line = picking.move_line_ids
        self._call(self.attacker, "stock.picking", "action_toggle_is_locked", [picking.ids])
        self._assert_refused(
            self.attacker, "stock.move.line", "write", [line.ids, {"quantity": 15}], message="new delivery order"
        )
        self._assert_refused(
            self.attacker,
            "stock.move.line",
            "create",
            [
                {
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "product_uom_id": self.product.uom_id.id,
                    "quantity": 10,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.customer_location.id,
                }
            ],
        )
        self.assertEqual(self._customer_stock(), 5.0)
        # Correcting it down (goods that never left) is no shipment.
        self._call(self.attacker, "stock.move.line", "write", [line.ids, {"quantity": 4}])
        self.assertEqual(self._customer_stock(), 4.0)
