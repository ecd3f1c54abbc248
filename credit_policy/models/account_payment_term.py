from odoo import Command, api, fields, models


class AccountPaymentTerm(models.Model):
    """Payment terms measured against the credit term (POLICY.md §2)."""

    _inherit = "account.payment.term"

    def _credit_policy_term_days(self, date_ref=None):
        """Days these payment terms give to pay a document dated ``date_ref``:
        up to the last installment's due date (0 without payment terms)."""
        if not self:
            return 0
        self.ensure_one()
        date_ref = fields.Date.to_date(date_ref) or fields.Date.context_today(self)
        return max(((line._get_due_date(date_ref) - date_ref).days for line in self.line_ids), default=0)

    def _credit_policy_is_net_days(self, days):
        """One installment of 100 %, ``days`` days after the invoice date."""
        self.ensure_one()
        line = self.line_ids
        return (
            len(line) == 1
            and line.value == "percent"
            and line.value_amount == 100.0
            and line.delay_type == "days_after"
            and line.nb_days == days
            and not self.early_discount
        )

    @api.model
    def _credit_policy_net_days_term(self, days, company):
        """Payment terms of ``days`` days net usable in ``company``: an existing
        one (shared or the company's own) with a single line of ``days`` days,
        else a new one for the company."""
        terms = self.sudo().search([("company_id", "in", (company.id, False))], order="company_id, sequence, id")
        term = terms.filtered(lambda t: t._credit_policy_is_net_days(days))[:1]
        if term:
            return term
        return self.sudo().create(
            {
                "name": self.env._("%(days)s Days", days=days) if days else self.env._("Immediate Payment"),
                "company_id": company.id,
                "early_discount": False,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "delay_type": "days_after", "nb_days": days}
                    )
                ],
            }
        )
