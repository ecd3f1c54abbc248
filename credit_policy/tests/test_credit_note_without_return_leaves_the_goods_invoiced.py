from odoo.tests import tagged

from .common import CreditExposureCommon, return_goods


@tagged("post_install", "-at_install")
class TestCreditNoteWithoutReturnLeavesTheGoodsInvoiced(CreditExposureCommon):
    """POLICY.md §4: delivered *and not invoiced*. A credit note made from an
    invoice of an order (Odoo's "Credit Note" button) lowers the order line's
    invoiced quantity, whatever it credits: a price reduction of 20.00 on 5
    units delivered and invoiced at 100.00 leaves Odoo's line "to invoice"
    again for the 5 units. The goods were invoiced, the customer owes 400.00
    and nothing is left to invoice: 5 x 100.00 "delivered, not invoiced"
    would count them twice. Only goods that came back (a return to be
    refunded) are no longer delivered; a credit note beyond the goods
    returned is a price reduction of goods still invoiced."""

    def _credit_note(self, invoice, price_unit, post=True):
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Price reduction"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.invoice_line_ids.price_unit = price_unit
        if post:
            credit_note.action_post()
        return credit_note

    def _invoiced_order(self, qty=5):
        order = self._order(self.customer, qty)
        self._deliver(order, qty)
        return order, self._invoice(order)

    def test_price_reduction_leaves_nothing_to_invoice(self):
        order, invoice = self._invoiced_order()
        self._credit_note(invoice, 20.0)
        self.assertEqual(order.order_line.qty_invoiced, 0.0, "Odoo's line: the 5 units credited")
        exposure = self._exposure(self.customer)
        self.assertEqual((exposure["receivable"], exposure["delivered_uninvoiced"]), (400.0, 0.0))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_exposure, 400.0, "500.00 invoiced less the 100.00 credit note")

    def test_draft_price_reduction_counts_as_drafted(self):
        _order, invoice = self._invoiced_order()
        self._credit_note(invoice, 20.0, post=False)
        exposure = self._exposure(self.customer)
        self.assertEqual(
            (exposure["receivable"], exposure["draft_invoice"], exposure["delivered_uninvoiced"]),
            (500.0, -100.0, 0.0),
        )

    def test_goods_returned_and_credited_leave_the_exposure(self):
        order = self._order(self.customer, 10)
        picking = self._deliver(order, 10)
        invoice = self._invoice(order)
        credit_note = self._credit_note(invoice, 100.0, post=False)
        credit_note.invoice_line_ids.quantity = 4
        credit_note.action_post()
        exposure = self._exposure(self.customer)
        self.assertEqual(
            (exposure["receivable"], exposure["delivered_uninvoiced"]), (600.0, 0.0),
            "4 units credited before they come back: not to be invoiced again",
        )
        return_goods(picking, 4)
        self.assertEqual(order.order_line.qty_delivered, 6.0)
        exposure = self._exposure(self.customer)
        self.assertEqual((exposure["receivable"], exposure["delivered_uninvoiced"]), (600.0, 0.0))

    def test_goods_returned_and_not_credited_yet_are_delivered_not_invoiced_no_more(self):
        order = self._order(self.customer, 10)
        picking = self._deliver(order, 10)
        self._invoice(order)
        return_goods(picking, 4)
        exposure = self._exposure(self.customer)
        self.assertEqual(
            (exposure["receivable"], exposure["delivered_uninvoiced"]), (1000.0, 0.0),
            "owed until the credit note",
        )
