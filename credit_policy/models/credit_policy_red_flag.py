from odoo import api, fields, models


class CreditPolicyRedFlag(models.Model):
    """A red flag raised on a customer, with its evidence (POLICY.md §1).

    Active flags of a customer in a company force the worst grade of the
    evaluations made for it.
    """

    _name = "credit.policy.red.flag"
    _description = "Credit Red Flag"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    type_id = fields.Many2one(
        "credit.policy.red.flag.type", string="Red Flag", required=True, tracking=True
    )
    evidence = fields.Text(required=True, help="What was observed and where it is documented.")
    user_id = fields.Many2one(
        "res.users", string="Set By", required=True, default=lambda self: self.env.user, readonly=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    active = fields.Boolean(default=True, tracking=True, help="Unticked when the flag is lifted.")

    @api.depends("type_id", "partner_id")
    def _compute_display_name(self):
        for flag in self:
            flag.display_name = f"{flag.type_id.name or ''} ({flag.partner_id.name or ''})"

    @api.model_create_multi
    def create(self, vals_list):
        # Who set the flag is the creator, whatever the caller sends; a flag
        # belongs to the customer, never to one of its contacts.
        for vals in vals_list:
            if not self.env.su:
                vals["user_id"] = self.env.user.id
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)
