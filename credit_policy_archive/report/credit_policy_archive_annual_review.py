from odoo import api, fields, models


class ReportCreditPolicyArchiveAnnualReview(models.AbstractModel):
    """The annual transaction review (年审评价报告, seed 000 §6) of credit
    files: printing it reads the files, so it is logged."""

    _name = "report.credit_policy_archive.report_annual_review"
    _description = "Annual Transaction Review Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        files = self.env["credit.policy.archive.file"].browse(docids)
        files.check_access("read")
        files._archive_log_read("print")
        year_start = fields.Date.context_today(self).replace(month=1, day=1)
        return {
            "doc_ids": docids,
            "doc_model": "credit.policy.archive.file",
            "docs": files,
            "year_start": year_start,
            "today": fields.Date.context_today(self),
        }
