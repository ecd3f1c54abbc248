from odoo.tests import tagged

from .common import CreditPolicyDeliveryCase


@tagged("post_install", "-at_install")
class TestDeliveryToACustomerWithoutLimit(CreditPolicyDeliveryCase):
    """No limit means no credit (POLICY.md §4): a delivery hands goods over on
    credit whether their order is counted in the exposure already or not, so
    the rules of customers without a limit judge its goods' value, less what
    the customer paid ahead. A widget sells at 100; at most 5,000 without a limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"credit_no_limit_mode": "cash", "credit_new_customer_max_order": 5000.0})
        cls.customer.credit_limit = 0.0

    def _ready(self, picking, quantity):
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        return picking

    def test_confirmed_order_raised_past_the_maximum_is_not_delivered(self):
        picking = self._create_sale_delivery(40)  # 4,000: within the maximum when confirmed
        picking.sale_id.order_line.product_uom_qty = 60
        self.assertEqual(sum(picking.move_ids.mapped("product_uom_qty")), 60.0)
        _value, uncounted, result = self._ready(picking, 60)._credit_policy_evaluate()
        self.assertEqual(uncounted, 0.0, "the order counts the goods already")
        self.assertEqual(result.failure_codes, ["new_customer_max_order"])
        self.assertIn("6,000", result.message())
        self._assert_prompt(self._validate(picking))

    def test_second_order_waits_until_the_first_is_paid(self):
        first = self._ready(self._create_sale_delivery(40), 40)
        self._create_sale_delivery(40)
        result = first._credit_policy_evaluate()[2]
        self.assertEqual(result.failure_codes, ["debt_without_limit"])
        self.assertEqual(result.failures[0].figures["debt"], 4000.0, "the other order is owed")

    def test_goods_paid_ahead_are_no_credit(self):
        picking = self._ready(self._create_sale_delivery(60), 60)  # 6,000: above the maximum
        self.assertEqual(picking._credit_policy_evaluate()[2].failure_codes, ["new_customer_max_order"])
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 6000.0,
            }
        )
        payment.action_post()
        _value, _uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual(result.figures["exposure"], 0.0, "paid on account")
        self.assertFalse(result.blocked)
        self.assertIs(self._validate(picking), True)

    def test_an_order_within_the_maximum_is_delivered_in_parts(self):
        picking = self._ready(self._create_sale_delivery(40), 20)  # half of a 4,000 order
        result = picking._credit_policy_evaluate()[2]
        self.assertFalse(result.blocked, "the rest of the same order is no other debt")
        picking.with_user(self.warehouse_user).with_context(skip_backorder=False)._action_done()
        backorder = self._ready(picking.backorder_ids, 20)
        self.assertFalse(backorder._credit_policy_evaluate()[2].blocked)

    def test_parts_of_an_order_raised_past_the_maximum_are_not_delivered(self):
        picking = self._create_sale_delivery(40)
        picking.sale_id.order_line.product_uom_qty = 60  # 6,000 now
        result = self._ready(picking, 10)._credit_policy_evaluate()[2]
        self.assertEqual(result.failure_codes, ["new_customer_max_order"], "the order is the credit granted")
