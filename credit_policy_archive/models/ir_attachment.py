from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError

from .credit_policy_archive_confidential_mixin import (
    archive_read_call,
    domain_conditions,
    is_confidential_model,
    log_content_search,
    read_calls,
    read_write_calls,
)

#: The fields of an attachment holding its content.
CONTENT_FIELDS = frozenset({"datas", "raw", "db_datas", "index_content"})


# Searching the documents' names or text may log a read of their files; a
# search-read is one call (a read filtered on the content logs once).
@read_write_calls("search_count", "search")
@read_calls(search_read="attachment", web_search_read="attachment")
class IrAttachment(models.Model):
    """The content of a credit file's attachment (a document's scan, a file
    sent in the chatter) is the file's content: reading it through
    ``ir.attachment`` is logged like any read of the file, and refused to
    whoever may not read the record it belongs to."""

    _inherit = "ir.attachment"

    def _archive_confidential_records(self):
        """The confidential credit-file records these attachments belong to,
        one recordset per model."""
        ids_by_model = defaultdict(set)
        # Only these two fields: the cache is shared with the caller's
        # records, and content or name prefetched as superuser would then be
        # served without the access check (e.g. /web/content/<id> of any
        # attachment, which reads them right after this).
        for attachment in self.sudo().with_context(prefetch_fields=False):
            model = attachment.res_model
            if attachment.res_id and is_confidential_model(self.env, model):
                ids_by_model[model].add(attachment.res_id)
        return [self.env[model].browse(sorted(ids)).exists() for model, ids in ids_by_model.items()]

    def _archive_log_content_read(self, channel):
        """Refuse, or log as a read of their credit files, the reading of
        these attachments' content by the current user."""
        if self.env.su:
            return
        # one read: a file reached through several of its records is logged once
        attachments = archive_read_call(self, channel or "attachment")
        for records in attachments._archive_confidential_records():
            records.check_access("read")
            records._archive_log_read(channel)

    def _read_format(self, fnames, load="_classic_read"):
        # read, search_read, web_read and web_search_read all end here.
        if CONTENT_FIELDS.intersection(fnames):
            self._archive_log_content_read("attachment")
        return super()._read_format(fnames, load=load)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Searching the indexed text of a file's scans reads them.
        return log_content_search(
            self,
            super()._search(domain, offset=offset, limit=limit, order=order),
            lambda: any(name in CONTENT_FIELDS for name, _leaf in domain_conditions(domain)),
            lambda attachments, channel: attachments._archive_log_content_read(channel),
        )

    def export_data(self, fields_to_export):
        # An export reads the fields through the records, not _read_format.
        if CONTENT_FIELDS.intersection(path.split("/")[0] for path in fields_to_export):
            self._archive_log_content_read("export")
        return super().export_data(fields_to_export)

    def _archive_leaving_error(self):
        return AccessError(
            self.env._(
                "The attachments of a credit file stay with it: download the document from the "
                "credit file instead (the read is logged there)."
            )
        )

    def _archive_refuse_leaving_the_file(self):
        """A credit file's attachment stays with its file: a copy or a move
        elsewhere would be read without the file's rules and read log."""
        if not self.env.su and self._archive_confidential_records():
            raise self._archive_leaving_error()

    def _archive_refuse_joining(self, model, res_id):
        """Refuse these attachments on a message of the record ``model``,
        ``res_id`` unless it belongs to their own credit file: linked to a
        message elsewhere, a file's attachment would go out with it (its
        e-mails, its readers) without the file's rules and read log. Whoever
        links it, server code included (mail edits messages as superuser)."""
        target = self.env[model].sudo().browse(res_id) if model in self.env and res_id else None
        own_files = (
            target._archive_files() if target is not None and hasattr(target, "_archive_files")
            else self.env["credit.policy.archive.file"]
        )
        for records in self.sudo()._archive_confidential_records():
            if records._archive_files() - own_files:
                raise self._archive_leaving_error()

    def copy(self, default=None):
        self._archive_refuse_leaving_the_file()
        return super().copy(default)

    def write(self, vals):
        if {"res_model", "res_id", "res_field"} & vals.keys():
            self._archive_refuse_leaving_the_file()
        return super().write(vals)
