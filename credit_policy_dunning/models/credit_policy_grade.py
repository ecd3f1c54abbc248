from odoo import fields, models

from odoo.addons.credit_policy.models.credit_policy_grade import CreditPolicyGrade as CreditPolicyGradeBase


class CreditPolicyGrade(models.Model):
    _inherit = "credit.policy.grade"
    _check_company_auto = True

    # Which ladder chases the grade's customers is recorded with the grade's other changes.
    _AUDITED_FIELDS = (*CreditPolicyGradeBase._AUDITED_FIELDS, "dunning_ladder_id")

    dunning_ladder_id = fields.Many2one(
        "credit.policy.dunning.ladder",
        string="Dunning Ladder",
        check_company=True,
        help="Ladder for the customers of this grade, unless the customer names one; "
        "empty: the company's default ladder.",
    )
