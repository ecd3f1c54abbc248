from odoo import api, fields, models
from odoo.exceptions import AccessError

from .credit_policy_workflow_mixin import is_credit_trusted


class CreditPolicyRedFlag(models.Model):
    """A red flag raised on a customer, with its evidence (POLICY.md §1).

    Active flags of a customer in a company force the grade their table names
    (``credit.policy.grade.table.red_flag_grade_id``) in the evaluations made
    for it. Recording one acts at once: it opens an event-triggered
    re-evaluation due within 48 hours (seed 004), and until that evaluation is
    approved or cancelled the credit check holds the customer's order
    confirmations and deliveries (company setting ``credit_red_flag_hold``).
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
    evaluation_id = fields.Many2one(
        "credit.policy.evaluation",
        string="Re-evaluation",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        help="The event-triggered re-evaluation this flag opened (or joined): until it is "
        "approved or cancelled, the customer's order confirmations and deliveries are held.",
    )

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
        self._credit_raise_if_evaluation_forged(vals_list)
        # ``default_evaluation_id`` would link a new flag to any evaluation.
        flags = super(CreditPolicyRedFlag, self.with_context(default_evaluation_id=False)).create(vals_list)
        # A red flag acts at once: its re-evaluation opens now.
        self.env["credit.policy.evaluation"]._credit_red_flag_reviews(flags)
        return flags

    def write(self, vals):
        self._credit_raise_if_evaluation_forged([vals])
        return super().write(vals)

    def _credit_raise_if_evaluation_forged(self, vals_list):
        """The re-evaluation a flag waits for is the server's to link: a client
        unlinking it would lift the hold without any decision."""
        if is_credit_trusted(self.env):
            return
        if any("evaluation_id" in vals for vals in vals_list):
            raise AccessError(
                self.env._("The re-evaluation of a red flag is linked by the red flag itself, not by hand.")
            )
