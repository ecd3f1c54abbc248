from odoo import api, models

from ..models.credit_policy_archive_confidential_mixin import archive_read_call, read_calls


@read_calls(read="template", web_read="template", onchange="template", web_save="template")
class MailTemplatePreview(models.TransientModel):
    """A preview renders its template's fields one by one on the record
    chosen: each client call is one read of a credit file rendered (one log
    row), in a read/write transaction (``mail.render.mixin``)."""

    _inherit = "mail.template.preview"

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super(MailTemplatePreview, archive_read_call(self, "template")).create(vals_list)
        wizards.flush_recordset()  # renders its stored fields within this call
        return wizards.with_env(self.env)
