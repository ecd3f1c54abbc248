from odoo import fields, models

from .credit_policy_archive_file_content_mixin import SOURCES


class CreditPolicyArchiveSource(models.Model):
    """Where a credit file's information comes from (seed 002): the customer,
    visits, banks, tax office, registry, agencies, commissioned investigations."""

    _name = "credit.policy.archive.source"
    _description = "Credit File Information Source"
    _inherit = ["credit.policy.archive.file.content.mixin"]
    _order = "file_id, date desc, id desc"

    source = fields.Selection(SOURCES, required=True, default="customer")
    date = fields.Date(default=fields.Date.context_today)
    description = fields.Text(required=True)
    reliability = fields.Selection([("high", "High"), ("medium", "Medium"), ("low", "Low")], default="medium")
