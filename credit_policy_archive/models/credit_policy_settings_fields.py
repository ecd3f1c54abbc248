from odoo import fields, models


class CreditPolicySettingsFields(models.AbstractModel):
    """The credit file's settings, in both credit settings forms (Credit >
    Configuration > Settings for Credit Managers, Settings > Credit)."""

    _inherit = "credit.policy.settings.fields"

    credit_crisis_no_contact_days = fields.Integer(
        related="company_id.credit_crisis_no_contact_days", readonly=False
    )
    credit_archive_completion_days = fields.Integer(
        related="company_id.credit_archive_completion_days", readonly=False
    )
