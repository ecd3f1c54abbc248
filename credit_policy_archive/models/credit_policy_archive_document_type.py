from odoo import fields, models


class CreditPolicyArchiveDocumentType(models.Model):
    """A kind of document kept in credit files (business licence,
    qualification, contract, credit report, investigation report, annual
    review report…)."""

    _name = "credit.policy.archive.document.type"
    _description = "Credit File Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    warn_days = fields.Integer(
        string="Warn Before Expiry (days)", default=30, help="How long before expiry the file's owner is warned."
    )
