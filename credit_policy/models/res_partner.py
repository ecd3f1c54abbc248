from odoo import fields, models


class ResPartner(models.Model):
    """Credit master data of a customer, per company (POLICY.md §2).

    The granted limit is Odoo's own company-dependent ``credit_limit``; credit
    users may read it too.
    """

    _inherit = "res.partner"

    credit_limit = fields.Float(
        groups="account.group_account_invoice,account.group_account_readonly,"
        "credit_policy.group_credit_policy_user",
        tracking=True,
    )
    credit_grade_id = fields.Many2one(
        "credit.policy.grade",
        string="Credit Grade",
        company_dependent=True,
        tracking=True,
    )
    credit_term_days = fields.Integer(
        string="Credit Term (days)", company_dependent=True, tracking=True
    )
    credit_collateral_value = fields.Float(
        string="Collateral Value",
        company_dependent=True,
        help="Value of the recorded mortgage or guarantee, in company currency.",
    )
    credit_collateral_note = fields.Char(string="Collateral", company_dependent=True)
    credit_last_review_date = fields.Date(string="Last Credit Review", company_dependent=True)
    credit_next_review_date = fields.Date(string="Next Credit Review", company_dependent=True)
    credit_on_hold = fields.Boolean(
        string="Credit Hold",
        company_dependent=True,
        tracking=True,
        help="Blacklisted: no credit sale and no delivery until lifted.",
    )
