from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_dunning_max_letters = fields.Integer(related="company_id.credit_dunning_max_letters", readonly=False)
    credit_dunning_cron_mode = fields.Selection(related="company_id.credit_dunning_cron_mode", readonly=False)
    credit_dunning_batch_size = fields.Integer(related="company_id.credit_dunning_batch_size", readonly=False)
