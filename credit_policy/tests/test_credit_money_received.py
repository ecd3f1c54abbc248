from odoo import fields
from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditMoneyReceived(CreditExposureCommon):
    """Money received for an order (POLICY.md §2, prepayment before delivery):
    payments reconciled with the order's invoices, allocated to the order,
    never a credit note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = cls.env["credit.policy.check"]

    def _credit_note(self, invoice):
        """Reverse ``invoice`` through the reversal wizard and post the credit
        note (posting matches it with the invoice when that is still open)."""
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"reason": "Cancelled down payment", "journal_id": invoice.journal_id.id})
        action = reversal.refund_moves()
        credit_note = self.env["account.move"].browse(action["res_id"])
        credit_note.action_post()
        return credit_note

    def _assert_prepayment_blocks(self, picking, due):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        result = picking._credit_policy_evaluate()[2]
        self.assertEqual(result.failure_codes, ["prepayment"])
        self.assertEqual(result.figures["prepayment_due"], due)
        action = picking.button_validate()
        self.assertEqual(action.get("res_model"), "credit.policy.delivery.block.wizard", "validation prompts")
        self.assertNotEqual(picking.state, "done")

    def test_down_payment_reversed_by_credit_note_is_not_received(self):
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(100.0)
        order = self._order(self.customer, 2)
        invoice = self._down_payment_invoice(order, 200.0)
        self._credit_note(invoice)
        self.assertEqual(invoice.payment_state, "reversed", "the credit note cancels the down payment")
        self.assertEqual(self.check._order_received(order, self.company), 0.0)
        self._assert_prepayment_blocks(order.picking_ids, 200.0)

    def test_paid_down_payment_boundary(self):
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(100.0)
        order = self._order(self.customer, 2)
        invoice = self._down_payment_invoice(order, 200.0)
        self._pay(invoice, 199.0)
        self.assertEqual(self.check._order_received(order, self.company), 199.0)
        self._assert_prepayment_blocks(order.picking_ids, 1.0)
        # A credit note settling the last 1.00 brings no money.
        credit_note = self.init_invoice(
            "out_refund", partner=self.customer, invoice_date=fields.Date.today(),
            amounts=[1.0], taxes=self.env["account.tax"], post=True,
        )
        invoice.js_assign_outstanding_line(
            credit_note.line_ids.filtered(lambda l: l.account_type == "asset_receivable").id
        )
        self.assertEqual(invoice.amount_residual, 0.0)
        self._assert_prepayment_blocks(order.picking_ids, 1.0)
        second = self._down_payment_invoice(order, 1.0)
        self._pay(second, 1.0)
        picking = order.picking_ids
        self.assertFalse(picking._credit_policy_evaluate()[2].blocked, "fully prepaid")
        self._deliver(order, 2)
        self.assertEqual(picking.state, "done")

    def test_down_payment_paid_back_is_not_received(self):
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(100.0)
        order = self._order(self.customer, 2)
        invoice = self._down_payment_invoice(order, 200.0)
        self._pay(invoice, 200.0)
        self.assertEqual(self.check._order_received(order, self.company), 200.0)
        # The customer cancels: credit note on the paid invoice, money sent back.
        credit_note = self._credit_note(invoice)
        self.assertEqual(self.check._order_received(order, self.company), 200.0, "not paid back yet")
        self._pay(credit_note, 150.0)
        self.assertEqual(self.check._order_received(order, self.company), 50.0)
        self._assert_prepayment_blocks(order.picking_ids, 150.0)

    def test_credit_note_then_payment_of_new_down_payment(self):
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(50.0)
        order = self._order(self.customer, 4)  # 200 due before delivery
        first = self._down_payment_invoice(order, 200.0)
        self._credit_note(first)
        self.assertEqual(first.payment_state, "reversed")
        self._assert_prepayment_blocks(order.picking_ids, 200.0)
        second = self._down_payment_invoice(order, 200.0)
        self._pay(second, 200.0)
        self.assertFalse(order.picking_ids._credit_policy_evaluate()[2].blocked)

    def test_invoice_shared_by_orders_is_allocated_by_their_lines(self):
        order_a = self._order(self.customer, 3)
        order_b = self._order(self.customer, 1)
        self._deliver(order_a, 3)
        self._deliver(order_b, 1)
        invoice = (order_a | order_b)._create_invoices()
        self.assertEqual(len(invoice), 1, "one invoice for both orders")
        invoice.action_post()
        self._pay(invoice, 200.0)
        received = (self.check._order_received(order_a, self.company), self.check._order_received(order_b, self.company))
        self.assertEqual(received, (150.0, 50.0), "200 paid of 300 + 100 invoiced")
        received = self.check._orders_received(order_a | order_b, self.company)
        self.assertEqual((received[order_a.id], received[order_b.id]), (150.0, 50.0))

    def test_bank_statement_line_counts_as_money(self):
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(100.0)
        order = self._order(self.customer, 2)
        invoice = self._down_payment_invoice(order, 200.0)
        statement_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "date": fields.Date.today(),
                "payment_ref": "Down payment",
                "partner_id": self.customer.id,
                "amount": 100.0,
            }
        )
        # Match the statement line's suspense line with the invoice.
        _liquidity, suspense, _other = statement_line._seek_for_lines()
        receivable = invoice.line_ids.filtered(lambda l: l.account_type == "asset_receivable")
        suspense.account_id = receivable.account_id
        (suspense | receivable).reconcile()
        self.assertEqual(self.check._order_received(order, self.company), 100.0)
        self._assert_prepayment_blocks(order.picking_ids, 100.0)
        # The rest written off by a credit note: paid in part, never in full.
        credit_note = self._credit_note(invoice)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertTrue(credit_note.reversed_entry_id)
        self.assertEqual(self.check._order_received(order, self.company), 100.0)
        self._assert_prepayment_blocks(order.picking_ids, 100.0)

    def test_quotation_without_invoice_or_payment_costs_one_query(self):
        """Most orders checked have no invoice nor online payment yet: nothing
        was received, found with one cheap query."""
        order = self._order(self.customer, 2, confirm=False)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self.assertEqual(self.check._order_received(order, self.company), 0.0)
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
