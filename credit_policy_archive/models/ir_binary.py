from odoo import models


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        # EXTENDS 'base': downloading a credit file's document is a read of the file.
        if record._name == "ir.attachment" and field_name in ("raw", "datas", "db_datas"):
            # /web/content/<attachment id>: the attachment of a credit file's
            # record (checked, then made superuser) is read by its reader.
            record.sudo(False)._archive_log_content_read("download")
        stream = super()._record_to_stream(record, field_name)
        if hasattr(record, "_archive_log_read"):
            # The record arrives as superuser once its access is checked: log as its reader.
            record.sudo(False)._archive_log_read("download")
        return stream
