from odoo import fields, models


class CreditPolicyGrade(models.Model):
    _inherit = "credit.policy.grade"

    required_document_type_ids = fields.Many2many(
        "credit.policy.archive.document.type",
        string="Required Documents",
        help="Documents the customer's credit file must hold, valid, before an evaluation "
        "proposing this grade is submitted.",
    )
