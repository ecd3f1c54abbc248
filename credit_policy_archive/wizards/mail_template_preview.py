from odoo import models

from ..models.credit_policy_archive_confidential_mixin import template_rendering_calls


@template_rendering_calls
class MailTemplatePreview(models.TransientModel):
    """A preview renders its template's fields on the record chosen: each
    client call is one read of the credit file rendered, if any."""

    _inherit = "mail.template.preview"
