from odoo import fields, models
from odoo.exceptions import UserError


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

    def _compute_partner_credit_warning(self):
        # EXTENDS 'account': one credit figure. Odoo's own warning compares the
        # receivables with ``credit_limit`` by another formula than the credit
        # policy's exposure; with the credit policy installed it is not shown
        # (the policy's own check and banners say what the customer may buy).
        super()._compute_partner_credit_warning()
        for move in self:
            move.partner_credit_warning = ""

    def _credit_mark_dirty(self):
        """Refresh the credit status of the customers whose receivables changed."""
        lines = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        lines._credit_mark_dirty()

    def _post(self, soft=True):
        warned = self._credit_check_payment_terms()
        posted = super()._post(soft=soft)
        posted._credit_mark_dirty()
        for move, failure in warned:
            if move in posted:
                move.message_post(body=failure.message, subtype_xmlid="mail.mt_note")
        return posted

    def _credit_payment_term_days(self):
        """Days this invoice gives to pay: its payment terms from the invoice
        date, or its due date when it has none."""
        self.ensure_one()
        date_ref = self.invoice_date or fields.Date.context_today(self)
        if self.invoice_payment_term_id:
            return self.invoice_payment_term_id._credit_policy_term_days(date_ref)
        if self.invoice_date_due:
            return max((self.invoice_date_due - date_ref).days, 0)
        return 0

    def _credit_check_payment_terms(self):
        """The credit term is a limit too (POLICY.md §2): a customer invoice
        may not give more days to pay than the customer's credit term. Follows
        the company's credit check mode: refused in block mode, posted with a
        note in warn mode.

        :return: ``[(invoice, RuleFailure)]`` to note once posted (warn mode)
        """
        check = self.env["credit.policy.check"]
        warned = []
        for move in self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft"):
            # a branch's invoices follow its root company's credit control area
            company = check._credit_area(move.company_id)
            if company.credit_check_mode == "off" or not move.partner_id:
                continue
            partner = move.partner_id.commercial_partner_id.sudo()
            name = move.name if move.name and move.name != "/" else move.display_name
            failure = check._payment_term_failure(
                partner, check._get_credit_account(partner), company, [(name, move._credit_payment_term_days())]
            )
            if not failure:
                continue
            if company.credit_check_mode == "block":
                raise UserError(
                    self.env._(
                        "The credit policy blocks posting %(invoice)s:\n%(reason)s",
                        invoice=move.display_name,
                        reason=failure.message,
                    )
                )
            warned.append((move, failure))
        return warned

    def button_draft(self):
        res = super().button_draft()
        self._credit_mark_dirty()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._credit_mark_dirty()
        return res
