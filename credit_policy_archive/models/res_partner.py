from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_file_ids = fields.One2many(
        "credit.policy.archive.file", "partner_id", string="Credit Files", groups="base.group_user"
    )
    credit_file_count = fields.Integer(compute="_compute_credit_file_count", groups="base.group_user")

    @api.depends_context("company", "uid")
    def _compute_credit_file_count(self):
        # Superuser: the button shows that a file exists (requesting access
        # needs to know it), its content stays behind the record rules.
        files = self.env["credit.policy.archive.file"].sudo()
        for partner in self:
            partner.credit_file_count = files.search_count(
                [("partner_id", "=", partner.commercial_partner_id.id), ("company_id", "=", self.env.company.id)]
            )

    def action_view_credit_file(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        file = self.env["credit.policy.archive.file"]._get_file_for_partner(partner)
        if file and not file.with_env(self.env).can_read:
            return file.action_request_access()
        if not file and not self.env["credit.policy.archive.file"].has_access("create"):
            raise UserError(
                self.env._(
                    "%(customer)s has no credit file yet: its salesperson or a Credit Manager opens it.",
                    customer=partner.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.policy.archive.file",
            "name": self.env._("Credit File"),
            "view_mode": "form",
            "res_id": file.id,
            "context": {"default_partner_id": partner.id},
        }
