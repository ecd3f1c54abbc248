from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditPolicyDeliveryMixin, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditHeldOrdersOfAnotherCompany(RpcMixin, CreditPolicyDeliveryMixin, HttpCase):
    """The held orders list lets credit staff ask an order's salesperson to
    act. A Credit Controller of one company does not act, through it (RPC),
    on the orders of a company he does not belong to."""

    def test_controller_does_not_notify_on_another_companys_order(self):
        other = self.env["res.company"].create({"name": "Held Elsewhere Ltd"})
        seller = new_test_user(
            self.env, "cp_held_other_sales", groups="sales_team.group_sale_salesman",
            company_id=other.id, company_ids=[other.id],
        )
        order = self.env["sale.order"].with_company(other).create(
            {
                "partner_id": self.customer.id,
                "company_id": other.id,
                "user_id": seller.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 100.0})
                ],
            }
        )
        self.assertNotIn(other, self.controller.company_ids)
        try:
            with mute_logger("odoo.http"):
                self._call(self.controller, "sale.order", "action_credit_notify_salesperson", [order.ids])
        except JsonRpcException:
            pass
        order.invalidate_recordset()
        self.assertFalse(order.activity_ids, "a to-do put on another company's order")
