from odoo import models

#: Partial covering index of the open posted items with a residual: the credit
#: check's one pass over a customer's open items
#: (credit.policy.check._open_item_facts) reads them index-only. Its dates
#: joined the included columns with the grade's maximum payment days: the
#: index of the earlier columns is dropped.
OPEN_ITEMS_INDEX = "account_move_line_credit_policy_open_items_idx"
OLD_OPEN_ITEMS_INDEXES = ("account_move_line_credit_policy_open_idx",)
#: The draft invoice lines of a partner, without reading its posted ones (the
#: exposure's draft invoices component).
DRAFT_ITEMS_INDEX = "account_move_line_credit_policy_draft_idx"


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        super().init()
        for old_index in OLD_OPEN_ITEMS_INDEXES:
            self.env.cr.execute(f"DROP INDEX IF EXISTS {old_index}")
        self.env.cr.execute(
            f"""
            CREATE INDEX IF NOT EXISTS {OPEN_ITEMS_INDEX}
                ON account_move_line (partner_id, company_id)
                INCLUDE (account_id, amount_residual, date_maturity, move_id, invoice_date, date)
             WHERE parent_state = 'posted' AND reconciled IS NOT TRUE AND amount_residual != 0
            """
        )
        self.env.cr.execute(
            f"""
            CREATE INDEX IF NOT EXISTS {DRAFT_ITEMS_INDEX}
                ON account_move_line (partner_id, company_id)
             WHERE parent_state = 'draft'
            """
        )

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
