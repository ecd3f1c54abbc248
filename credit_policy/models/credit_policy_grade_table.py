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
    grade_count = fields.Integer(compute="_compute_grade_count")
    active = fields.Boolean(default=True)
    note = fields.Text(translate=True, help="Where the scheme comes from and how to use it.")

    _sql_constraints = [
        ("name_company_unique", "unique (company_id, name)", "A company cannot have two grade tables with the same name."),
    ]

    def _compute_grade_count(self):
        for table in self:
            table.grade_count = len(table.grade_ids)

    def _worst_grade(self):
        """The grade red flags force: the last of the table."""
        self.ensure_one()
        return self.grade_ids.sorted(lambda g: (g.sequence, g.id))[-1:]
