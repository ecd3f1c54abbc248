from . import models
from . import wizards


def uninstall_hook(env):
    """Let the uninstallation remove the demo's invoices: the demo pays them
    with registered payments, and reconciled journal entries cannot be
    deleted. Left behind, reinstalling would rewrite posted invoices and give
    up the demo data half-loaded. Only the journal entries the credit addons'
    data created (their XML ids) are touched."""
    entries = env["ir.model.data"].sudo().search(
        [("module", "=like", "credit\\_policy%"), ("model", "=", "account.move")]
    )
    invoices = env["account.move"].sudo().browse(entries.mapped("res_id")).exists()
    # Only the payments that pay nothing but the demo's invoices: a payment
    # also paying a real invoice stays, and so does what it pays.
    payments = invoices._get_reconciled_payments().filtered(
        lambda payment: not (payment.reconciled_invoice_ids - invoices)
    )
    paid_by_demo_only = invoices.filtered(lambda invoice: invoice._get_reconciled_payments() <= payments)
    paid_by_demo_only.line_ids.remove_move_reconcile()
    payments.action_draft()
    payments.unlink()
