from odoo import fields, models


class CreditPolicyGradeTable(models.Model):
    """A grading scheme (AAA–C, A–C, A–D): the grades a company rates customers with."""

    _name = "credit.policy.grade.table"
    _description = "Credit Grade Table"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    grade_ids = fields.One2many("credit.policy.grade", "table_id", string="Grades")
    active = fields.Boolean(default=True)
