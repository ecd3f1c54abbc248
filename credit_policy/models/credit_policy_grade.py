from odoo import fields, models


class CreditPolicyGrade(models.Model):
    """One grade of a grade table and what it grants (POLICY.md §1–2).

    ``sequence`` orders grades from best (lowest sequence) to worst; the worst
    grade of a table is the one red flags force.
    """

    _name = "credit.policy.grade"
    _description = "Credit Grade"
    _order = "table_id, sequence, id"

    table_id = fields.Many2one(
        "credit.policy.grade.table", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="table_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(default=10, help="Best grade first.")
    code = fields.Char(required=True, help="Short code shown on customers, e.g. AAA.")
    name = fields.Char(required=True, translate=True)
    min_score = fields.Float(
        string="Minimum Total Score", help="Lower bound of the grade's score band."
    )
    min_repayment_score = fields.Float(
        string="Minimum Repayment Score",
        help="Minimum points for the repayment of due invoices; below it the "
        "grade drops one level.",
    )
    min_purchase_score = fields.Float(
        string="Minimum Purchase Score",
        help="Minimum points for purchases with us; below it the grade drops one level.",
    )
    default_limit = fields.Monetary(string="Default Credit Limit", currency_field="currency_id")
    max_limit = fields.Monetary(string="Maximum Credit Limit", currency_field="currency_id")
    max_term_days = fields.Integer(string="Maximum Credit Term (days)")
    prepayment_percent = fields.Float(
        string="Prepayment Required (%)",
        help="Share of each order to be paid before delivery: 0 is normal credit, "
        "100 is cash before delivery.",
    )
    collateral_required = fields.Boolean(
        help="Credit only against recorded collateral; the limit may not exceed "
        "the collateral value."
    )
    review_months = fields.Integer(
        string="Review Every (months)", default=6, help="How often customers of this grade are re-evaluated."
    )
    new_customer_allowed = fields.Boolean(
        default=True,
        help="New customers and customers with incomplete data may receive this "
        "grade without a special approval.",
    )
