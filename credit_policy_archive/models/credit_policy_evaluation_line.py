from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .credit_policy_archive_confidential_mixin import read_write_calls


# Reading the facts writes a read log row.
@read_write_calls("read", "web_read")
class CreditPolicyEvaluationLine(models.Model):
    _inherit = "credit.policy.evaluation.line"

    file_fact = fields.Char(
        string="From the Credit File",
        compute="_compute_file_fact",
        help="What the customer's credit file says for this criterion, shown to those who may read the file.",
    )

    @api.depends_context("uid")
    @api.depends("criterion_id.code", "evaluation_id.partner_id")
    def _compute_file_fact(self):
        self.file_fact = False
        lines = self.filtered(lambda line: line.criterion_id.code in ("YEARS", "CAPITAL", "STAFF"))
        files = lines.evaluation_id.sudo().credit_file_id
        # Only readers of the file see its facts, and seeing them is a read.
        readable = files.with_env(self.env).filtered("can_read").sudo()
        if not readable:
            return
        readable.with_env(self.env)._archive_log_read("read")
        today = fields.Date.context_today(self)
        for line in lines:
            file = line.evaluation_id.sudo().credit_file_id
            if file not in readable:
                continue
            line.file_fact = line._file_fact(file, today)

    def _file_fact(self, file, today):
        code = self.criterion_id.code
        if code == "YEARS" and file.founding_date:
            years = relativedelta(today, file.founding_date).years
            return self.env._("Founded %(date)s: %(years)s years", date=file.founding_date, years=years)
        if code == "CAPITAL" and (file.registered_capital or file.paid_in_capital):
            return self.env._(
                "Registered %(registered)s, paid in %(paid)s",
                registered=file.currency_id.format(file.registered_capital),
                paid=file.currency_id.format(file.paid_in_capital),
            )
        if code == "STAFF" and file.staff_count:
            return self.env._("%(staff)s staff", staff=file.staff_count)
        return False
