from odoo import _, api, fields, models


class CreditPolicyDeliveryBlockWizard(models.TransientModel):
    """The prompt a warehouse user gets when validating a delivery the credit
    policy blocks: which customer, which rules failed with their figures, and
    "Request release". Nothing is validated from here."""

    _name = "credit.policy.delivery.block.wizard"
    _description = "Delivery Blocked by the Credit Policy"

    release_ids = fields.Many2many("credit.policy.release", string="Blocked Deliveries", readonly=True)
    note = fields.Text(
        string="Message to the Credit Department",
        help="Why the goods should leave now, e.g. a payment announced by the customer.",
    )
    can_request = fields.Boolean(compute="_compute_can_request")

    @api.depends("release_ids.state")
    def _compute_can_request(self):
        for wizard in self:
            wizard.can_request = any(release.state == "blocked" for release in wizard.release_ids)

    def action_request_release(self):
        self.ensure_one()
        self.release_ids._request(self.note)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Release requested"),
                "message": _("The credit department has been asked to release the delivery."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
