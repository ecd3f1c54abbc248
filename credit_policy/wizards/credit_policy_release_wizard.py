from odoo import api, fields, models


class CreditPolicyReleaseWizard(models.TransientModel):
    """Release or reject blocked deliveries, with the mandatory reason. The
    permission check is the release record's own (server side)."""

    _name = "credit.policy.release.wizard"
    _description = "Release or Reject a Blocked Delivery"

    release_ids = fields.Many2many("credit.policy.release", string="Blocked Deliveries", required=True)
    decision = fields.Selection([("release", "Release"), ("reject", "Reject")], required=True, default="release")
    reason = fields.Text(required=True, help="Recorded on the release and posted in the delivery's and customer's chatter.")
    manager_required = fields.Boolean(compute="_compute_manager_required")

    @api.depends("release_ids.manager_required")
    def _compute_manager_required(self):
        for wizard in self:
            wizard.manager_required = any(wizard.release_ids.mapped("manager_required"))

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "release":
            self.release_ids._release(self.reason)
        else:
            self.release_ids._reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
