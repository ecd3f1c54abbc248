from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import clean_context

from .. import policy


class CreditPolicyArchiveReadLog(models.Model):
    """Who read which credit file, when, how and through which access grant
    (查阅记录, seed 003). Written by the reads themselves as superuser; nobody
    alters or deletes a row, not even an administrator through the ORM."""

    _name = "credit.policy.archive.read.log"
    _description = "Credit File Read Log"
    _order = "id desc"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        "res.users", string="Reader", required=True, readonly=True, index=True, ondelete="restrict"
    )
    file_id = fields.Many2one(
        "credit.policy.archive.file",
        string="Credit File",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    confidentiality = fields.Selection(
        [
            (policy.LEVEL_COMPANY, "Company"),
            (policy.LEVEL_DEPARTMENT, "Department"),
            (policy.LEVEL_PERSONAL, "Personal"),
        ],
        string="Level at Read",
        readonly=True,
    )
    access_request_id = fields.Many2one(
        "credit.policy.archive.access.request", string="Access Grant", readonly=True, index=True, ondelete="restrict",
        help="The approved access request in force for the reader when he read the file, if any.",
    )
    channel = fields.Selection(
        [
            ("form", "Form"),
            ("list", "List"),
            ("read", "Read (RPC)"),
            ("search_read", "Search and Read (RPC)"),
            ("search", "Search on the Content"),
            ("message", "Notes and Messages"),
            ("activity", "Activities"),
            ("template", "Template Rendering"),
            ("group", "Grouped List"),
            ("export", "Export"),
            ("print", "Print"),
            ("download", "Document Download"),
            ("attachment", "Attachment Content (RPC)"),
            ("backup", "Backup"),
        ],
        required=True,
        readonly=True,
    )
    content = fields.Char(string="Content Read", readonly=True, help="The technical name of the model read.")

    @api.model
    def _log_reads(self, user, files, channel, content):
        """Write one row per file read by ``user`` (call as superuser).

        Every field is given: no ``default_<field>`` context key or personal
        ``ir.default`` of the reader fills any of them (the read's date above all)."""
        grants = self.env["credit.policy.archive.access.request"].sudo()._valid_grants(user, files)
        grant_of = {grant.file_id.id: grant.id for grant in grants}
        now = fields.Datetime.now()
        return self.sudo().with_context(clean_context(self.env.context)).create(
            [
                {
                    "date": now,
                    "user_id": user.id,
                    "file_id": file.id,
                    "partner_id": file.partner_id.id,
                    "company_id": file.company_id.id,
                    "confidentiality": file.confidentiality,
                    "access_request_id": grant_of.get(file.id, False),
                    "channel": channel,
                    "content": content,
                }
                for file in files
            ]
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The read log is written by the reads themselves."))
        return super().create(vals_list)

    def write(self, vals):
        raise AccessError(self.env._("The credit file read log cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("The credit file read log cannot be deleted."))
