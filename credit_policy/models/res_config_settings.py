from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "credit.policy.settings.fields"]

    # the administrator's alone: Credit Managers do not cap the company's total
    credit_total_limit_cap = fields.Monetary(related="company_id.credit_total_limit_cap", readonly=False)
    credit_total_cap_exposure = fields.Boolean(related="company_id.credit_total_cap_exposure", readonly=False)
    # Separation of duties is the administrator's too: a Credit Manager
    # decides credit requests, and must not be the one who lifts the rule that
    # keeps him from deciding his own.
    credit_four_eyes = fields.Boolean(related="company_id.credit_four_eyes", readonly=False)
