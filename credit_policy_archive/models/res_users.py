from odoo import models
from odoo.exceptions import UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._raise_if_owning_credit_files()
        return super().write(vals)

    def action_archive(self):
        self._raise_if_owning_credit_files()
        return super().action_archive()

    def _raise_if_owning_credit_files(self):
        """Files never leave with their owner (seed 003): hand them over first."""
        files = self.env["credit.policy.archive.file"].sudo().with_context(active_test=False).search(
            [("owner_id", "in", self.ids)]
        )
        if files:
            raise UserError(
                self.env._(
                    "%(users)s still own %(count)s credit file(s): hand them over "
                    "(Credit > Credit Files > Handover) before archiving.",
                    users=", ".join(files.owner_id.mapped("name")),
                    count=len(files),
                )
            )
