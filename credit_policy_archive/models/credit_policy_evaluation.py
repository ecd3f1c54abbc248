from odoo import api, fields, models
from odoo.exceptions import UserError

from .credit_policy_archive_confidential_mixin import read_write_calls


# The scoring sheet shows (and logs the read of) the credit file's facts.
@read_write_calls("web_read")
class CreditPolicyEvaluation(models.Model):
    _inherit = "credit.policy.evaluation"

    credit_file_id = fields.Many2one(
        "credit.policy.archive.file", compute="_compute_credit_file_id", string="Credit File", compute_sudo=True
    )

    has_credit_file = fields.Boolean(compute="_compute_credit_file_id", compute_sudo=True)

    @api.depends("partner_id", "company_id")
    def _compute_credit_file_id(self):
        File = self.env["credit.policy.archive.file"]
        for evaluation in self:
            evaluation.credit_file_id = File._get_file_for_partner(evaluation.partner_id, evaluation.company_id)
            evaluation.has_credit_file = bool(evaluation.credit_file_id)

    def action_submit(self):
        # EXTENDS 'credit_policy': the documents the grade requires must be in the file.
        for evaluation in self:
            evaluation._raise_if_required_documents_missing()
        return super().action_submit()

    def action_open_credit_file(self):
        self.ensure_one()
        return self.partner_id.action_view_credit_file()

    def _raise_if_required_documents_missing(self):
        grade = self.grade_id
        required = grade.required_document_type_ids
        if not required:
            return
        # Superuser: the check must not depend on whether the salesperson
        # reads the file, and it reveals only document types.
        file = self.sudo().credit_file_id
        valid_types = (
            file._valid_documents().document_type_id if file else self.env["credit.policy.archive.document.type"]
        )
        missing = required - valid_types
        if missing:
            raise UserError(
                self.env._(
                    "%(evaluation)s cannot be submitted: grade %(grade)s requires valid %(documents)s "
                    "in the customer's credit file (missing or expired).",
                    evaluation=self.display_name,
                    grade=grade.display_name,
                    documents=", ".join(missing.mapped("name")),
                )
            )
