from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CreditExposureCommon, CreditPolicyDeliveryCase


class OrderTotalMixin:
    """An order line of 1,000 units at 9.99 with 15 % tax is worth 11,488.50
    (9,990.00 + 1,498.50), the order's total. Its unit price taxes included,
    11.4885, is stored rounded to the cent (``price_reduce_taxinc`` 11.49):
    1,000 times the rounded price is 11,490.00, 1.50 more than the order."""

    def _tax_15(self, company):
        return self.env["account.tax"].create(
            {"name": "VAT 15 %", "amount": 15.0, "type_tax_use": "sale", "company_id": company.id}
        )

    def _order_of_1000(self, partner, company, product):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=1),
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1000,
                            "price_unit": 9.99,
                            "tax_id": [Command.set(self._tax_15(company).ids)],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(order.amount_total, 11488.50)
        return order


@tagged("post_install", "-at_install")
class TestCreditOrderValueAtItsTotal(OrderTotalMixin, CreditExposureCommon):
    """POLICY.md §4: a confirmed order not yet delivered counts what the
    customer will owe for it, its total, not its quantity times a unit price
    rounded to the cent."""

    def test_open_order_counts_the_order_total(self):
        order = self._order_of_1000(self.customer, self.company, self.product)
        self.assertEqual(self._exposure(self.customer)["open_order"], order.amount_total)

    def test_delivered_and_open_parts_add_up_to_the_order_total(self):
        customer = self._credit_customer("Big Customer", 20000.0)  # the delivery is not blocked
        order = self._order_of_1000(customer, self.company, self.product)
        self._deliver(order, 400)
        exposure = self._exposure(customer)
        self.assertEqual(exposure["delivered_uninvoiced"], 4595.40, "400 of 1,000 units of 11,488.50")
        self.assertEqual(exposure["open_order"], 6893.10, "600 of 1,000 units of 11,488.50")
        self.assertEqual(self._figures(customer)["exposure"], order.amount_total)


@tagged("post_install", "-at_install")
class TestDeliveryOfAnOrderAtItsTotal(OrderTotalMixin, CreditPolicyDeliveryCase):
    """A customer whose limit is exactly his order's total receives it: the
    order confirmed within the limit is not blocked at delivery for the
    cents the unit price lost in its rounding."""

    def test_order_within_the_limit_is_delivered(self):
        self.customer.credit_limit = 11488.50
        order = self._order_of_1000(self.customer, self.company, self.product)
        picking = order.picking_ids
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (11488.50, 0.0), "the delivery ships the order, counted already")
        self.assertEqual(result.figures["exposure"], 11488.50)
        self.assertIs(self._validate(picking), True, "no credit block prompt")
        self.assertEqual(picking.state, "done")
