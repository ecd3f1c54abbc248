from odoo import api, fields, models

from .. import policy
from .credit_policy_archive_file_content_mixin import SOURCES


class CreditPolicyArchiveDocument(models.Model):
    """A document of a credit file, with its type and expiry date."""

    _name = "credit.policy.archive.document"
    _description = "Credit File Document"
    _inherit = ["credit.policy.archive.file.content.mixin"]
    _order = "file_id, document_type_id, expiry_date desc"
    _archive_bookkeeping_fields = frozenset({"expiry_warned_date"})

    name = fields.Char(required=True)
    document_type_id = fields.Many2one(
        "credit.policy.archive.document.type", string="Type", required=True, ondelete="restrict"
    )
    attachment = fields.Binary(attachment=True)
    attachment_name = fields.Char()
    issue_date = fields.Date()
    expiry_date = fields.Date(index=True)
    source = fields.Selection(SOURCES, default="customer")
    is_expired = fields.Boolean(compute="_compute_is_expired", search="_search_is_expired", string="Expired")
    expiry_warned_date = fields.Date(readonly=True, copy=False)

    @api.depends("expiry_date")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for document in self:
            document.is_expired = not policy.document_is_valid(document.expiry_date, today)

    def _search_is_expired(self, operator, value):
        today = fields.Date.context_today(self)
        expired = [("expiry_date", "!=", False), ("expiry_date", "<", today)]
        positive = (operator == "=") == bool(value)
        return expired if positive else ["|", ("expiry_date", "=", False), ("expiry_date", ">=", today)]

    def write(self, vals):
        if "expiry_date" in vals:
            vals = {**vals, "expiry_warned_date": False}
        return super().write(vals)

    @api.model
    def _cron_warn_expiring_documents(self):
        """Warn each file's owner, once per expiry date, of the documents
        expiring within their type's warning period (or expired)."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("credit_policy_archive.mail_activity_credit_document_expiry")
        documents = self.sudo().search([("expiry_date", "!=", False), ("expiry_warned_date", "=", False)])
        for document in documents:
            if document.expiry_date > fields.Date.add(today, days=document.document_type_id.warn_days):
                continue
            document.file_id.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=min(document.expiry_date, fields.Date.add(today, days=7)),
                user_id=document.file_id.owner_id.id,
                summary=self.env._(
                    "%(document)s expires on %(date)s",
                    document=document.display_name,
                    date=document.expiry_date,
                ),
            )
            document.expiry_warned_date = today
        return True
