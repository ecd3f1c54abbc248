from odoo import fields, models


class CreditPolicySettingsFields(models.AbstractModel):
    """The dunning settings, on both credit settings forms: the Credit
    Managers' (Credit > Configuration > Settings) and Odoo's Settings."""

    _inherit = "credit.policy.settings.fields"

    credit_dunning_max_letters = fields.Integer(related="company_id.credit_dunning_max_letters", readonly=False)
    credit_dunning_cron_mode = fields.Selection(related="company_id.credit_dunning_cron_mode", readonly=False)
    credit_dunning_batch_size = fields.Integer(related="company_id.credit_dunning_batch_size", readonly=False)
