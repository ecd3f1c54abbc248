from odoo import fields, models


class CreditPolicyGrade(models.Model):
    _inherit = "credit.policy.grade"

    dunning_ladder_id = fields.Many2one(
        "credit.policy.dunning.ladder",
        string="Dunning Ladder",
        help="Ladder for the customers of this grade, unless the customer names one; "
        "empty: the company's default ladder.",
    )
