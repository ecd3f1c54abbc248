import base64
import csv
import io
import json
import zipfile

from odoo import Command, api, fields, models

from .credit_policy_archive_confidential_mixin import read_write_calls
from .credit_policy_archive_file import COMPLETENESS_FIELDS
FILE_FIELDS = ("partner_id", "company_id", "owner_id", "team_id", "confidentiality", "paid_in_capital",
               "market", "sales_capacity", "potential", "management_style", "credit_problems",
               "last_update_date", "last_review_date", "review_note") + COMPLETENESS_FIELDS
CHILD_FIELDS = {
    "financial_ids": ("period_end", "period_name", "source", "current_assets", "inventory", "total_assets",
                      "current_liabilities", "total_liabilities", "revenue", "net_profit", "operating_cash_flow",
                      "current_ratio", "debt_ratio"),
    "visit_ids": ("date", "kind", "user_id", "contact", "summary"),
    "source_ids": ("source", "date", "description", "reliability"),
    "document_ids": ("name", "document_type_id", "issue_date", "expiry_date", "source", "attachment_name"),
}
LOG_FIELDS = ("date", "user_id", "partner_id", "confidentiality", "access_request_id", "channel", "content")


def _plain(record, name):
    value = record[name]
    if isinstance(value, models.BaseModel):
        return value.display_name or ""
    if value is False:
        return ""
    return str(value)


# Reading the zip writes read log rows.
@read_write_calls("read", "web_read")
class CreditPolicyArchiveBackup(models.Model):
    """A backup of credit files: a zip (data, documents, read log) readable
    by Credit Managers only (the attachment follows this record's access)."""

    _name = "credit.policy.archive.backup"
    _description = "Credit File Backup"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    file_count = fields.Integer(readonly=True)
    file_ids = fields.Many2many("credit.policy.archive.file", string="Credit Files", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    data = fields.Binary(related="attachment_id.datas")

    # ------------------------------------------------------------------
    # Reading a backup reads its files (seed 003: every read is logged)
    # ------------------------------------------------------------------
    def _archive_files(self):
        return self.file_ids

    def _archive_log_read(self, channel=None):
        """Log that the current user read the content of the files in these
        backups (their zip: downloaded, or its data read). Also called by
        ``ir.attachment`` and ``ir.binary`` for the zip's attachment."""
        if self.env.su or not self:
            return
        self.sudo()._archive_files().with_env(self.env)._archive_log_read(channel or "backup")

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        # The zip itself, not its size (what a list shows).
        if "data" in fnames and not (self.env.context.get("bin_size") or self.env.context.get("bin_size_data")):
            self._archive_log_read("backup")
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        rows = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        if any(path and path[0] in ("data", "attachment_id") for path in fields):
            self._archive_log_read("export")
        return rows

    @api.model
    def _archive_backup(self, files, company):
        """A zip of ``files`` (read by the current user, logged as a backup)
        with their documents and read log, stored as an attachment of the company."""
        files.check_access("read")
        files._archive_log_read("backup")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            content = []
            for file in files.sudo():
                entry = {name: _plain(file, name) for name in FILE_FIELDS}
                for child, names in CHILD_FIELDS.items():
                    entry[child] = [{name: _plain(line, name) for name in names} for line in file[child]]
                content.append(entry)
                for document in file.document_ids.filtered("attachment"):
                    archive.writestr(
                        f"documents/{file.id}/{document.id}-{document.attachment_name or document.name}",
                        base64.b64decode(document.attachment),
                    )
            archive.writestr("files.json", json.dumps(content, ensure_ascii=False, indent=1))
            logs = self.env["credit.policy.archive.read.log"].sudo().search([("file_id", "in", files.ids)])
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(LOG_FIELDS)
            for log in logs:
                writer.writerow([_plain(log, name) for name in LOG_FIELDS])
            archive.writestr("read_log.csv", out.getvalue())
        name = f"credit_files_{company.id}_{fields.Date.context_today(self)}.zip"
        backup = self.sudo().create(
            {"name": name, "company_id": company.id, "file_count": len(files), "file_ids": [Command.set(files.ids)]}
        )
        backup.attachment_id = self.env["ir.attachment"].sudo().create(
            {
                "name": name,
                "datas": base64.b64encode(buffer.getvalue()),
                "res_model": self._name,
                "res_id": backup.id,
                "mimetype": "application/zip",
            }
        )
        return backup

    @api.model
    def _cron_monthly_backup(self):
        """Back up every company's files (runs as OdooBot, a Credit Manager)."""
        for company in self.env["res.company"].search([]):
            files = self.env["credit.policy.archive.file"].with_company(company).with_context(active_test=False).search(
                [("company_id", "=", company.id)]
            )
            if files:
                self.with_company(company)._archive_backup(files, company)
        return True
