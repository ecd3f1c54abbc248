from odoo import models

from .credit_policy_archive_confidential_mixin import archive_mail_out_error, is_confidential_model


class MailTemplate(models.Model):
    """A template sent on a record (``send_mail``) e-mails its addressees
    straight, the record's fields rendered into it, with no message on the
    record: a credit file is not mailed out so (its chatter's composer posts
    a template's rendering as a message, which reaches its readers only)."""

    _inherit = "mail.template"

    def _send_check_access(self, res_ids):
        if is_confidential_model(self.env, self.model):
            raise archive_mail_out_error(self.env)
        return super()._send_check_access(res_ids)
