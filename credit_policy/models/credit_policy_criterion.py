from odoo import fields, models


class CreditPolicyCriterion(models.Model):
    """One line of the scoring sheet (信用评级评分表, POLICY.md §1)."""

    _name = "credit.policy.criterion"
    _description = "Credit Scoring Criterion"
    _order = "company_id, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    max_points = fields.Float(string="Maximum Points", required=True)
    role = fields.Selection(
        [
            ("repayment", "Repayment of Due Invoices"),
            ("purchase", "Purchases with Us"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        help="Repayment and purchase points form the two sub-scores whose minimum "
        "each grade requires.",
    )
    guidance = fields.Text(
        translate=True, help="How to award the points, band by band, for the evaluator."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_company_unique", "unique (company_id, code)", "A criterion code must be unique per company."),
        ("max_points_positive", "CHECK (max_points > 0)", "A criterion must be worth more than 0 points."),
    ]
