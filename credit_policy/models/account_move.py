from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_late_payment_reason = fields.Char(
        string="Valid Reason for Late Payment",
        tracking=True,
        # It shields the customer from the downgrade check: credit controllers only.
        groups="credit_policy.group_credit_policy_controller",
        help="E.g. our own quality complaint or late delivery. Invoices paid late "
        "with a valid reason do not count against the customer's payment record.",
    )

    def _credit_mark_dirty(self):
        """Refresh the credit status of the customers whose receivables changed."""
        lines = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        lines._credit_mark_dirty()

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._credit_mark_dirty()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._credit_mark_dirty()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._credit_mark_dirty()
        return res
