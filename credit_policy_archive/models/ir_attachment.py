from collections import defaultdict

from odoo import models
from odoo.exceptions import AccessError

#: The fields of an attachment holding its content.
CONTENT_FIELDS = frozenset({"datas", "raw", "db_datas", "index_content"})


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
            if model and attachment.res_id and model in self.env and hasattr(self.env[model], "_archive_log_read"):
                ids_by_model[model].add(attachment.res_id)
        return [self.env[model].browse(sorted(ids)).exists() for model, ids in ids_by_model.items()]

    def _archive_log_content_read(self, channel):
        """Refuse, or log as a read of their credit files, the reading of
        these attachments' content by the current user."""
        if self.env.su:
            return
        for records in self._archive_confidential_records():
            records.check_access("read")
            records._archive_log_read(channel)

    def _read_format(self, fnames, load="_classic_read"):
        # read, search_read, web_read and web_search_read all end here.
        if CONTENT_FIELDS.intersection(fnames):
            self._archive_log_content_read("attachment")
        return super()._read_format(fnames, load=load)

    def export_data(self, fields_to_export):
        # An export reads the fields through the records, not _read_format.
        if CONTENT_FIELDS.intersection(path.split("/")[0] for path in fields_to_export):
            self._archive_log_content_read("export")
        return super().export_data(fields_to_export)

    def _archive_refuse_leaving_the_file(self):
        """A credit file's attachment stays with its file: a copy or a move
        elsewhere would be read without the file's rules and read log."""
        if not self.env.su and self._archive_confidential_records():
            raise AccessError(
                self.env._(
                    "The attachments of a credit file stay with it: download the document from the "
                    "credit file instead (the read is logged there)."
                )
            )

    def copy(self, default=None):
        self._archive_refuse_leaving_the_file()
        return super().copy(default)

    def write(self, vals):
        if {"res_model", "res_id", "res_field"} & vals.keys():
            self._archive_refuse_leaving_the_file()
        return super().write(vals)
