from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import audited_values, post_changes


class CreditPolicyGradeTable(models.Model):
    """A grading scheme (AAA–C, A–C, A–D): the grades a company rates customers with."""

    _name = "credit.policy.grade.table"
    _inherit = ["mail.thread"]
    _description = "Credit Grade Table"
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    grade_ids = fields.One2many("credit.policy.grade", "table_id", string="Grades")
    grade_count = fields.Integer(compute="_compute_grade_count")
    red_flag_grade_id = fields.Many2one(
        "credit.policy.grade",
        string="Grade Forced by Red Flags",
        domain="[('table_id', '=', id)]",
        help="Grade a customer with a red flag gets at most, whatever his score "
        "(POLICY.md §1: grade C of the five-level table; the shipped four-level "
        "A–D table forces D, the refused grade). Empty: the worst grade of the table.",
    )
    active = fields.Boolean(default=True)
    note = fields.Text(translate=True, help="Where the scheme comes from and how to use it.")

    _sql_constraints = [
        ("name_company_unique", "unique (company_id, name)", "A company cannot have two grade tables with the same name."),
    ]

    #: What the table decides besides its grades: each change is on its trail.
    _AUDITED_FIELDS = ("red_flag_grade_id",)

    def write(self, vals):
        before = audited_values(self, [name for name in self._AUDITED_FIELDS if name in vals])
        res = super().write(vals)
        for table, old in before.items():
            post_changes(table, table, self.env._("Grade table %(table)s changed:", table=table.display_name), old)
        return res

    def _compute_grade_count(self):
        for table in self:
            table.grade_count = len(table.grade_ids)

    @api.constrains("red_flag_grade_id")
    def _check_red_flag_grade(self):
        for table in self.filtered("red_flag_grade_id"):
            if table.red_flag_grade_id.table_id != table:
                raise ValidationError(
                    self.env._(
                        "The grade red flags force in %(table)s must be one of its own grades.",
                        table=table.display_name,
                    )
                )

    def _sorted_grades(self):
        """The grades of the table, best first."""
        self.ensure_one()
        return self.grade_ids.sorted(lambda g: (g.sequence, g.id))

    def _worst_grade(self):
        """The last grade of the table."""
        self.ensure_one()
        return self._sorted_grades()[-1:]

    def _red_flag_grade(self):
        """The grade red flags force: the table's choice, else its worst grade."""
        self.ensure_one()
        return self.red_flag_grade_id or self._worst_grade()
