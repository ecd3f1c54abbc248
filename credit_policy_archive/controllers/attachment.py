from odoo.addons.mail.controllers.attachment import AttachmentController

from ..models.credit_policy_archive_confidential_mixin import archive_read_call


class CreditFileAttachmentController(AttachmentController):
    def _make_zip(self, name, attachments):
        # EXTENDS 'mail': "download all" is one read of each credit file whose
        # attachments it zips (logged once per file, like an export), not one
        # per attachment: the attachments' downloads share one read call.
        return super()._make_zip(name, archive_read_call(attachments, "download"))
