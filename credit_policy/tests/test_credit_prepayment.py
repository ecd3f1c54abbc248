from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditPrepayment(CreditExposureCommon):
    """The grade's prepayment blocks the delivery, not the confirmation, and is
    checked on the orders of the moves being shipped."""

    def test_full_prepayment_confirms_then_blocks_delivery(self):
        self.company.credit_check_mode = "block"
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(100.0)
        order = self._order(self.customer, 2, confirm=False)
        self.assertIn("prepayment of", order.credit_check_message)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        picking = order.picking_ids
        result = picking._credit_policy_evaluate()[2]
        self.assertEqual(result.failure_codes, ["prepayment"])
        self._paid_down_payment(order, 200.0)
        self.assertFalse(picking._credit_policy_evaluate()[2].blocked)

    def test_prepayment_checked_on_the_orders_of_the_moves(self):
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(50.0)
        paid = self._order(self.customer, 2)
        self._paid_down_payment(paid, 100.0)  # 50 % of 200: nothing due
        unpaid = self._order(self.customer, 1)  # 50 % of 100 due
        picking = paid.picking_ids
        unpaid.picking_ids.move_ids.picking_id = picking
        moves = picking.move_ids
        self.assertEqual(moves.sale_line_id.order_id, paid | unpaid)
        moves.quantity = 1
        moves.picked = True
        result = picking._credit_policy_evaluate(moves=moves, partner=self.customer)[2]
        self.assertEqual(result.failure_codes, ["prepayment"])
        self.assertEqual(result.figures["prepayment_due"], 50.0)
        paid_only = picking._credit_policy_evaluate(
            moves=moves.filtered(lambda m: m.sale_line_id.order_id == paid), partner=self.customer
        )[2]
        self.assertFalse(paid_only.blocked, "the paid order's moves ship")
