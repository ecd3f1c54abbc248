from odoo import fields, models


class CreditPolicyRedFlagType(models.Model):
    """A kind of red flag (风险信号) that forces the worst grade (POLICY.md §1)."""

    _name = "credit.policy.red.flag.type"
    _description = "Credit Red Flag Type"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True, help="When the flag applies, and its exceptions.")
    bad_debt = fields.Boolean(
        string="Bad Debt",
        help="A flag of this type records a bad debt: grades needing years without bad debt "
        "(POLICY.md §1, seed 002) are refused for that many years from its date, even once lifted.",
    )
    active = fields.Boolean(default=True)
