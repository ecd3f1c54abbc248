from odoo import api, models
from odoo.exceptions import AccessError

from .credit_policy_archive_confidential_mixin import (
    MESSAGE_CONTENT_FIELDS,
    ArchiveReferenceReads,
    archive_copy_error,
    archive_read_call,
    is_confidential_model,
    read_calls,
    read_write_calls,
    references_refused,
)


# Searching the notes' text may log a read of their records; the read
# methods a client calls are one read each (a grouped read: its search on
# the text and its groups log once).
@read_write_calls("search_count", "search")
@read_calls(
    read="message",
    search_read="message",
    web_read="message",
    web_search_read="message",
    read_group="group",
    web_read_group="group",
    export_data="export",
)
class MailMessage(ArchiveReferenceReads, models.Model):
    """The notes of a credit file (visits, bank information) are its content:
    a client reading them through ``mail.message`` reads the file, and the
    read is logged against it like any other (the confidential mixin's
    helper). The chatter of a file's own form is logged by the form's read.

    So they go with the file, not with the message: mail lets a message's
    author, its creator, the partners it addressed or notified and the
    record's followers read it, change it or answer it for ever; on a
    credit-file record only the record's own access counts, as it is now
    (a reader whose grant lapsed, who left the department or handed his
    files over reads none of the notes he heard of or wrote)."""

    _inherit = "mail.message"
    _archive_content_fields = MESSAGE_CONTENT_FIELDS
    _archive_reference_model_field = "model"
    _archive_reference_inverse = "message_ids"
    _archive_read_channel = "message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        # Only a message given attachments may hold a file's (neither a
        # default_* key nor an ir.default gives a new message any); reading
        # back every new message's would cost each chatter post a query.
        messages.browse(
            message.id for message, vals in zip(messages, vals_list) if vals.get("attachment_ids")
        )._archive_refuse_foreign_attachments()
        messages.browse(
            message.id for message, vals in zip(messages, vals_list) if vals.get("parent_id")
        )._archive_refuse_answering_elsewhere()
        return messages

    def write(self, vals):
        result = super().write(vals)
        if vals.get("attachment_ids"):
            self._archive_refuse_foreign_attachments()
        if vals.get("parent_id"):
            self._archive_refuse_answering_elsewhere()
        return result

    def copy_data(self, default=None):
        # A note of a credit file is its content: copied (onto another record
        # above all) it would be read without the file's rules and read log.
        if not self.env.su and self._archive_confidential_messages():
            raise archive_copy_error(self.env)
        return super().copy_data(default=default)

    def _archive_confidential_messages(self):
        """These messages that belong to a confidential credit-file record."""
        return self.sudo().filtered(lambda message: is_confidential_model(self.env, message.model))

    def _get_forbidden_access(self, operation):
        forbidden = super()._get_forbidden_access(operation)
        # On a credit-file record the record decides alone, as mail does for
        # anyone else: read it to read them, change it to add, change or
        # delete one (the file's _mail_post_access is mail's default).
        doc_operation = self.env["mail.thread"]._get_mail_message_access([], operation)
        return forbidden | references_refused(self - forbidden, "model", "res_id", doc_operation)

    def _archive_refuse_answering_elsewhere(self):
        """A note of a credit file is answered on its record only: discuss
        shows a reply's parent with it (as superuser), so a message elsewhere
        answering it would show it there without the file's rules and read
        log. Whoever writes it, server code included."""
        for message in self.sudo():
            parent = message.parent_id
            if (parent.model, parent.res_id) != (message.model, message.res_id) and (
                parent._archive_confidential_messages()
            ):
                raise AccessError(self.env._("A note of a credit file is answered on the credit file only."))

    def _archive_refuse_foreign_attachments(self):
        """A credit file's attachments go on its own messages only (see
        ``ir.attachment._archive_refuse_joining``)."""
        for message in self.sudo():
            message.attachment_ids._archive_refuse_joining(message.model, message.res_id)

    @api.model
    def _message_fetch(self, domain, search_term=None, before=None, after=None, around=None, limit=30):
        # Mail's chatter (``/mail/thread/messages``) fetches a record's notes
        # outside the public read methods: that is a read of the notes too.
        # One call, so its content search is not logged a second time.
        messages = archive_read_call(self, "message")
        res = super(MailMessage, messages)._message_fetch(
            domain, search_term=search_term, before=before, after=after, around=around, limit=limit
        )
        res["messages"].with_env(messages.env)._archive_log_record_reads("message")
        return res
