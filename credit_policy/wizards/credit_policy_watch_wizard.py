from odoo import api, fields, models


class CreditPolicyWatchWizard(models.TransientModel):
    """Put a customer on watch, or lift the watch, with the reason (POLICY.md
    §2, seed 004). Credit Controllers only: the access rights keep others from
    opening it, and the customer's ``_credit_policy_set_watch`` checks again."""

    _name = "credit.policy.watch.wizard"
    _description = "Put on Watch / Lift Watch"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, default=lambda self: self.env.company)
    # Kept from when the dialog opened: applying does what its title said,
    # even if someone else changed the watch meanwhile (then it is refused).
    lift = fields.Boolean(
        string="Lift the Watch",
        compute="_compute_lift",
        store=True,
        readonly=False,
        help="The customer was on watch when the dialog opened: applying lifts it.",
    )
    prepayment_percent = fields.Float(
        string="Prepayment Share on Watch (%)",
        related="company_id.credit_watch_prepayment_percent",
        help="Share of each order a customer on watch pays before delivery (company setting); "
        "a grade requiring more keeps its own.",
    )
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        # The watch is the credit area's (a branch's root), whatever company
        # the caller sends: the dialog shows that company's prepayment share.
        company = self.env["credit.policy.check"]._credit_area(self.env.company)
        return super().create([dict(vals, company_id=company.id) for vals in vals_list])

    @api.depends("partner_id")
    @api.depends_context("company")
    def _compute_lift(self):
        company = self.env["credit.policy.check"]._credit_area(self.env.company)
        for wizard in self:
            wizard.lift = bool(wizard.partner_id.commercial_partner_id.with_company(company).credit_watch)

    def action_apply(self):
        # The user's current company decides, whatever company the caller
        # gave the wizard: _credit_policy_set_watch works in its credit area.
        self.ensure_one()
        self.partner_id._credit_policy_set_watch(not self.lift, self.reason)
        return {"type": "ir.actions.act_window_close"}
