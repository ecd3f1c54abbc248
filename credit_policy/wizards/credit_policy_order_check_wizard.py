from odoo import fields, models
from odoo.exceptions import UserError


class CreditPolicyOrderCheckWizard(models.TransientModel):
    """Shows why the credit policy blocks an order and offers a temporary limit."""

    _name = "credit.policy.order.check.wizard"
    _description = "Credit Check at Order Confirmation"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_invoice_id.commercial_partner_id")
    company_id = fields.Many2one(related="order_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    message = fields.Text(string="Failed Rules", readonly=True)
    exposure = fields.Monetary(readonly=True, help="Including this order.")
    effective_limit = fields.Monetary(readonly=True)
    shortfall = fields.Monetary(
        string="Missing Credit",
        readonly=True,
        help="Temporary limit that would let the order pass: it brings the exposure back under "
        "the effective limit, or gives a customer without a limit one. Zero when only other "
        "rules block the order.",
    )

    def action_request_temporary_limit(self):
        """Create a draft temporary limit for the shortfall and this order."""
        self.ensure_one()
        if self.shortfall <= 0:
            raise UserError(
                self.env._(
                    "A temporary limit cannot help: %(order)s is blocked by other credit "
                    "rules than the credit limit.",
                    order=self.order_id.name,
                )
            )
        account = self.env["credit.policy.check"]._get_credit_account(self.order_id.partner_invoice_id)
        request = self.env["credit.policy.temporary.limit"].create(
            {
                "partner_id": account.id,
                "company_id": self.company_id.id,
                "amount": self.shortfall,
                "order_id": self.order_id.id,
                "reason": self.env._(
                    "Confirm %(order)s:\n%(message)s", order=self.order_id.name, message=self.message
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": request._name,
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }
