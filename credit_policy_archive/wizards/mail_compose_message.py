from odoo import models

from ..models.credit_policy_archive_confidential_mixin import (
    archive_mail_out_error,
    is_confidential_model,
    template_rendering_calls,
)


@template_rendering_calls
class MailComposeMessage(models.TransientModel):
    """Mail's composer in mass-mail mode e-mails whom it is given (and the
    record's default recipients, its customer) straight, with no message on
    the record: none of a credit file's rules on who hears of it apply
    (``credit.policy.archive.file._notify_get_recipients``). A file is
    written to through its chatter only.

    A template chosen in a file's composer renders its fields into the
    subject and body: each client call is one read of the file."""

    _inherit = "mail.compose.message"

    def _action_send_mail(self, auto_commit=False):
        if any(
            wizard.composition_mode == "mass_mail" and is_confidential_model(self.env, wizard.model) for wizard in self
        ):
            raise archive_mail_out_error(self.env)
        return super()._action_send_mail(auto_commit=auto_commit)
