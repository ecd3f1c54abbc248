from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CreditPolicyArchiveBackupWizard(models.TransientModel):
    """Export the credit files of selected customers (data, documents, read
    log) as one zip archive kept as an attachment (seed 003: monthly backup)."""

    _name = "credit.policy.archive.backup.wizard"
    _description = "Credit File Backup"

    file_ids = fields.Many2many(
        "credit.policy.archive.file",
        relation="credit_policy_archive_backup_wizard_file_rel",
        string="Files",
        help="Empty: every file of the current company.",
    )
    backup_id = fields.Many2one("credit.policy.archive.backup", readonly=True)
    data = fields.Binary(related="backup_id.attachment_id.datas")
    filename = fields.Char(related="backup_id.name")

    def action_export(self):
        self.ensure_one()
        if not self.env.user.has_group("credit_policy.group_credit_policy_manager"):
            raise AccessError(self.env._("Only a Credit Manager backs up credit files."))
        files = self.file_ids or self.env["credit.policy.archive.file"].with_context(active_test=False).search(
            [("company_id", "=", self.env.company.id)]
        )
        if not files:
            raise UserError(self.env._("There is no credit file to back up."))
        self.backup_id = self.env["credit.policy.archive.backup"]._archive_backup(files, self.env.company)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


