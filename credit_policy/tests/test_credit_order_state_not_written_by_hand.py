from odoo import Command, fields
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditPolicyDeliveryMixin, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditOrderStateNotWrittenByHand(RpcMixin, CreditPolicyDeliveryMixin, HttpCase):
    """An order is confirmed by Confirm, which checks the customer's credit
    (POLICY.md §4: check at order confirmation), and leaves the exposure by
    Cancel. A salesperson writing the order's state by hand (RPC, as a script
    would) neither confirms a quotation the check refuses, nor takes a
    confirmed order out of the exposure to make room for another one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_check_mode = "block"

    def _quotation(self, qty):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "commitment_date": fields.Datetime.now(),
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": 100.0, "tax_id": False}
                    )
                ],
            }
        )

    def _write_state(self, order, state):
        try:
            with mute_logger("odoo.http"):
                self._call(self.salesman, "sale.order", "write", [order.ids, {"state": state}])
        except JsonRpcException:
            pass
        order.invalidate_recordset()
        return order.state

    def _exposure(self):
        check = self.env["credit.policy.check"]
        return sum(check._get_partner_exposure(self.customer, self.company)[self.customer.id].values())

    def test_quotation_refused_by_the_check_not_confirmed_by_hand(self):
        quotation = self._quotation(15)  # 1,500 for a limit of 1,000
        self.assertIn("credit policy blocks", quotation._confirmation_error_message())
        self.assertEqual(self._write_state(quotation, "sale"), "draft")
        self.assertEqual(self._exposure(), 0.0)

    def test_confirmed_order_not_taken_out_of_the_exposure_by_hand(self):
        order = self._quotation(8)
        self._call(self.salesman, "sale.order", "action_confirm", [order.ids])
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._exposure(), 800.0)
        for state in ("draft", "sent", "cancel"):
            with self.subTest(state=state):
                self.assertEqual(self._write_state(order, state), "sale")
        self.assertEqual(self._exposure(), 800.0)
        # what the buttons do still works
        self._call(
            self.salesman, "sale.order", "action_cancel", [order.ids], {"context": {"disable_cancel_warning": True}}
        )
        order.invalidate_recordset()
        self.assertEqual(order.state, "cancel")
        self._call(self.salesman, "sale.order", "action_draft", [order.ids])
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self._call(self.salesman, "sale.order", "action_quotation_sent", [order.ids])
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent")
        self._call(self.salesman, "sale.order", "action_confirm", [order.ids])
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")

    def test_order_not_created_confirmed(self):
        vals = {
            "partner_id": self.customer.id,
            "order_line": [
                Command.create({"product_id": self.product.id, "product_uom_qty": 15, "price_unit": 100.0})
            ],
        }
        attempts = [([dict(vals, state="sale")], {}), ([vals], {"context": {"default_state": "sale"}})]
        for args, kwargs in attempts:
            with self.subTest(kwargs=kwargs):
                try:
                    with mute_logger("odoo.http"):
                        self._call(self.salesman, "sale.order", "create", args, kwargs)
                except JsonRpcException:
                    pass
        confirmed = self.env["sale.order"].search([("partner_id", "=", self.customer.id), ("state", "=", "sale")])
        self.assertFalse(confirmed, "an order created confirmed, past the credit check")
        self.assertEqual(self._exposure(), 0.0)
