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
    payments = invoices._get_reconciled_payments()
    invoices.line_ids.remove_move_reconcile()
    payments.action_draft()
    payments.unlink()
