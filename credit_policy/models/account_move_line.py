from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _credit_mark_dirty(self):
        """Refresh, before the commit, the credit status of these lines' customers."""
        status = self.env["credit.policy.status"]
        receivables = self.filtered(lambda line: line.account_type == "asset_receivable")
        for company in receivables.company_id:
            lines = receivables.filtered(lambda line, c=company: line.company_id == c)
            status._mark_dirty(lines.partner_id, company)

    def reconcile(self):
        res = super().reconcile()
        self._credit_mark_dirty()
        return res

    def remove_move_reconcile(self):
        lines = self.matched_debit_ids.debit_move_id | self.matched_credit_ids.credit_move_id | self
        res = super().remove_move_reconcile()
        lines._credit_mark_dirty()
        return res
