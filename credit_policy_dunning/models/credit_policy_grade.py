from odoo import fields, models


class CreditPolicyGrade(models.Model):
    _inherit = "credit.policy.grade"
    _check_company_auto = True

    dunning_ladder_id = fields.Many2one(
        "credit.policy.dunning.ladder",
        string="Dunning Ladder",
        check_company=True,
        help="Ladder for the customers of this grade, unless the customer names one; "
        "empty: the company's default ladder.",
    )
