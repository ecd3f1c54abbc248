from odoo import _, api, fields, models
from odoo.exceptions import UserError



class CreditPolicyDeliveryBlockWizard(models.TransientModel):
    """The prompt a user gets when validating a delivery the credit policy
    blocks: for each blocked customer, the rules that failed (one sentence
    each) and the figures, as label and value. A warehouse user requests a
    release; a Credit Controller or Manager may release at once, with the
    reason (the rights and the four-eyes principle are the release's own,
    :meth:`credit.policy.release._release`). Nothing is validated from here."""

    _name = "credit.policy.delivery.block.wizard"
    _description = "Delivery Blocked by the Credit Policy"

    release_ids = fields.Many2many("credit.policy.release", string="Blocked Deliveries", readonly=True)
    summary_html = fields.Html(
        string="Blocked Customers", compute="_compute_summary_html", sanitize=False
    )
    note = fields.Text(
        string="Message to the Credit Department",
        help="Why the goods should leave now, e.g. a payment announced by the customer.",
    )
    reason = fields.Text(
        string="Reason for the Release",
        help="Recorded on the release and posted in the delivery's and customer's chatter.",
    )
    can_request = fields.Boolean(compute="_compute_can_request")
    can_release = fields.Boolean(compute="_compute_can_request")

    @api.depends_context("uid")
    @api.depends("release_ids.state")
    def _compute_can_request(self):
        for wizard in self:
            wizard.can_request = any(release.state == "blocked" for release in wizard.release_ids)
            # Release now releases them all: offered when the user may release
            # each one (the rules _release applies, see credit_can_decide);
            # otherwise he requests the release.
            releases = wizard.release_ids.filtered(lambda r: r.state in ("blocked", "requested"))
            wizard.can_release = bool(releases) and not any(
                release._credit_decision_error() for release in releases
            )

    @api.depends("release_ids")
    def _compute_summary_html(self):
        for wizard in self:
            wizard.summary_html = self.env["ir.qweb"]._render(
                "credit_policy.delivery_block_prompt_summary",
                {"releases": wizard.release_ids.sudo(), "format": wizard._format_amount},
            )

    @api.model
    def _format_amount(self, release, amount):
        return release.currency_id.format(amount or 0.0)

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

    def action_release(self):
        """Release the blocked deliveries of this prompt at once, with the
        reason (Credit Controllers and Managers; checked by the release)."""
        self.ensure_one()
        releases = self.release_ids.filtered(lambda r: r.state in ("blocked", "requested"))
        if not releases:
            raise UserError(_("These deliveries are no longer awaiting a release."))
        releases._release(self.reason)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Delivery released"),
                "message": _("The delivery is released: validate it again to ship the goods."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
