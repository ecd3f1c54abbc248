from odoo import Command
from odoo.tests import tagged

from odoo.addons.credit_policy.tests.common import CreditPolicyDeliveryCase


@tagged("post_install", "-at_install")
class TestKitDeliveryCheck(CreditPolicyDeliveryCase):
    """A kit sold at 100 is made of 2 bolts (units) and 1.5 kg of paint; the
    customer's limit is 1,000. A delivery of kits is checked by the kits its
    components make, as the order line counts them delivered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        unit = cls.env.ref("uom.product_uom_unit")
        kg = cls.env.ref("uom.product_uom_kgm")
        cls.bolt = cls._component("Kit Bolt", unit)
        cls.paint = cls._component("Kit Paint", kg)
        cls.kit = cls._kit("Paint Kit", [(cls.bolt, 2.0), (cls.paint, 1.5)])

    @classmethod
    def _component(cls, name, uom):
        product = cls.env["product.product"].create(
            {"name": name, "is_storable": True, "uom_id": uom.id, "uom_po_id": uom.id, "list_price": 1.0}
        )
        cls.env["stock.quant"]._update_available_quantity(product, cls.stock_location, 1000.0)
        return product

    @classmethod
    def _kit(cls, name, components):
        kit = cls.env["product.product"].create(
            {"name": name, "type": "consu", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": kit.product_tmpl_id.id,
                "type": "phantom",
                "product_qty": 1.0,
                "bom_line_ids": [
                    Command.create({"product_id": product.id, "product_qty": qty}) for product, qty in components
                ],
            }
        )
        return kit

    def _kit_delivery(self, kits, kit=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": (kit or self.kit).id, "product_uom_qty": kits, "price_unit": 100.0,
                         "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        return order.picking_ids

    def _ship(self, picking, quantities):
        """Pick ``quantities`` (``{component: quantity}``) on ``picking``."""
        for move in picking.move_ids:
            move.quantity = quantities.get(move.product_id, 0.0)
            move.picked = True
        return picking

    def test_kits_within_the_order_add_nothing_whatever_the_components_units(self):
        picking = self._ship(self._kit_delivery(8), {self.bolt: 16, self.paint: 12})
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (800.0, 0.0), "8 kits at 100, counted by the order already")
        self.assertFalse(result.blocked)
        self.assertIs(self._validate(picking), True)
        self.assertEqual(picking.state, "done")

    def test_components_are_not_added_up_as_kits(self):
        nut = self._component("Kit Nut", self.env.ref("uom.product_uom_unit"))
        kit = self._kit("Nut Kit", [(self.bolt, 2.0), (nut, 1.0)])
        picking = self._ship(self._kit_delivery(8, kit), {self.bolt: 16, nut: 8})
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (800.0, 0.0), "24 components make 8 kits, not 24")
        self.assertFalse(result.blocked)
        self.assertIs(self._validate(picking), True)

    def test_kits_beyond_the_order_add_their_value(self):
        picking = self._ship(self._kit_delivery(8), {self.bolt: 22, self.paint: 16.5})
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (1100.0, 300.0), "11 kits shipped, 3 beyond the 8 ordered")
        self.assertTrue(result.blocked, "800 ordered + 300 beyond the order exceed the limit of 1,000")
        self._assert_prompt(self._validate(picking))
        self.assertNotEqual(picking.state, "done")

    def test_a_component_shipped_alone_makes_no_kit_until_the_rest_follows(self):
        picking = self._ship(self._kit_delivery(8), {self.bolt: 16})
        self.assertEqual(picking._credit_policy_evaluate()[:2], (0.0, 0.0), "bolts alone make no kit")
        picking.with_context(cancel_backorder=False)._action_done()
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_id, self.paint)
        self._ship(backorder, {self.paint: 12})
        self.assertEqual(backorder._credit_policy_evaluate()[:2], (800.0, 0.0), "the paint completes 8 kits")

    def test_an_over_picked_component_makes_no_more_kits(self):
        picking = self._ship(self._kit_delivery(8), {self.bolt: 30, self.paint: 12})
        self.assertEqual(
            picking._credit_policy_evaluate()[:2], (800.0, 0.0),
            "the order line counts (and invoices) 8 kits: the spare bolts add nothing to the exposure",
        )
