from odoo.tests import TransactionCase, tagged

from odoo.addons.credit_policy import uninstall_hook


@tagged("post_install", "-at_install")
class TestCreditUninstallKeepsRealPayments(TransactionCase):
    """Uninstalling removes the demo's payments so that its invoices can go:
    it must not unreconcile or delete a payment that also pays invoices that
    are not the demo's (one payment registered for several invoices of the
    customer, a demo one among them)."""

    def test_a_payment_shared_with_a_real_invoice_is_kept(self):
        demo_invoice = self.env.ref("credit_policy.invoice_facts_demo_7")
        self.assertEqual(demo_invoice.payment_state, "not_paid")
        real_invoice = self.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": demo_invoice.partner_id.id,
            "company_id": demo_invoice.company_id.id,
            "invoice_line_ids": [(0, 0, {"name": "Real sale", "quantity": 1, "price_unit": 1000.0, "tax_ids": []})],
        })
        real_invoice.action_post()
        invoices = demo_invoice + real_invoice
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"group_payment": True}).action_create_payments()
        self.assertIn(real_invoice.payment_state, ("paid", "in_payment"))
        payment = real_invoice._get_reconciled_payments()
        self.assertTrue(payment)

        uninstall_hook(self.env)

        self.assertTrue(payment.exists(), "the customer's real payment was deleted by the uninstallation")
        self.assertIn(real_invoice.payment_state, ("paid", "in_payment"), "the real invoice is unpaid again")
