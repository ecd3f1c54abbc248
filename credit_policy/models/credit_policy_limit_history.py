from odoo import fields, models


class CreditPolicyLimitHistory(models.Model):
    """One change of a customer's credit master data (grade, limit, term, credit
    hold, credit group, collateral).

    Written only by ``res.partner._credit_policy_set_master_data``; nobody edits it.
    """

    _name = "credit.policy.limit.history"
    _description = "Credit Master Data History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one("res.users", string="Changed By", required=True, readonly=True)
    old_grade_id = fields.Many2one("credit.policy.grade", string="Old Grade", readonly=True)
    new_grade_id = fields.Many2one("credit.policy.grade", string="New Grade", readonly=True)
    old_limit = fields.Monetary(string="Old Limit", currency_field="currency_id", readonly=True)
    new_limit = fields.Monetary(string="New Limit", currency_field="currency_id", readonly=True)
    old_term_days = fields.Integer(string="Old Term (days)", readonly=True)
    new_term_days = fields.Integer(string="New Term (days)", readonly=True)
    old_on_hold = fields.Boolean(string="Was on Credit Hold", readonly=True)
    new_on_hold = fields.Boolean(string="On Credit Hold", readonly=True)
    old_group_head_id = fields.Many2one("res.partner", string="Old Credit Group Head", readonly=True)
    new_group_head_id = fields.Many2one("res.partner", string="New Credit Group Head", readonly=True)
    old_collateral_value = fields.Monetary(string="Old Collateral", currency_field="currency_id", readonly=True)
    new_collateral_value = fields.Monetary(string="New Collateral", currency_field="currency_id", readonly=True)
    reason = fields.Text(required=True, readonly=True)
    evaluation_id = fields.Many2one("credit.policy.evaluation", readonly=True, index="btree_not_null")
