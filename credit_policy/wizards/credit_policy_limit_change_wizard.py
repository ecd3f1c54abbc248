from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditPolicyLimitChangeWizard(models.TransientModel):
    """Manual change of a customer's credit master data (grade, limit, term,
    credit hold, credit group, collateral) by a Credit Manager, outside an
    evaluation, with the reason kept in the credit history."""

    _name = "credit.policy.limit.change.wizard"
    _description = "Change Customer Credit"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    grade_id = fields.Many2one(
        "credit.policy.grade",
        string="Grade",
        compute="_compute_current",
        store=True,
        readonly=False,
        domain="[('table_id', '=', grade_table_id)]",
    )
    grade_table_id = fields.Many2one(related="company_id.credit_grade_table_id")
    credit_limit = fields.Monetary(
        string="Credit Limit", compute="_compute_current", store=True, readonly=False, currency_field="currency_id"
    )
    term_days = fields.Integer(string="Credit Term (days)", compute="_compute_current", store=True, readonly=False)
    on_hold = fields.Boolean(
        string="Credit Hold",
        compute="_compute_current",
        store=True,
        readonly=False,
        help="Blacklisted: no credit sale and no delivery until lifted.",
    )
    group_head_id = fields.Many2one(
        "res.partner",
        string="Credit Group Head",
        compute="_compute_current",
        store=True,
        readonly=False,
        domain="[('is_company', '=', True), ('credit_group_head_id', '=', False), ('id', '!=', partner_id)]",
        help="Company holding the credit limit this customer shares (group credit).",
    )
    collateral_value = fields.Monetary(
        string="Collateral Value", compute="_compute_current", store=True, readonly=False, currency_field="currency_id"
    )
    collateral_note = fields.Char(string="Collateral", compute="_compute_current", store=True, readonly=False)
    reason = fields.Text(required=True)
    purchase_bounds_note = fields.Text(
        string="One Purchase, One Cycle",
        compute="_compute_purchase_bounds_note",
        help="The customer's purchases that bound the limit and the term when the grade grants at most one "
        "purchase or one purchasing cycle.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # The change is always made in the credit area of the user's current
        # company (a branch's root, whose data the check reads), whatever
        # company the caller sends (the field is read-only on the form only).
        company = self.env["credit.policy.check"]._credit_area_to_change(self.env.company)
        return super().create([dict(vals, company_id=company.id) for vals in vals_list])

    @api.depends("partner_id", "company_id")
    def _compute_current(self):
        for wizard in self:
            partner = wizard.partner_id.with_company(wizard.company_id)
            wizard.grade_id = partner.credit_grade_id
            wizard.credit_limit = partner.credit_limit
            wizard.term_days = partner.credit_term_days
            wizard.on_hold = partner.credit_on_hold
            wizard.group_head_id = partner.credit_group_head_id
            wizard.collateral_value = partner.credit_collateral_value
            wizard.collateral_note = partner.credit_collateral_note

    def action_apply(self):
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        wanted = {
            "credit_grade_id": self.grade_id.id,
            "credit_limit": self.credit_limit,
            "credit_term_days": self.term_days,
            "credit_on_hold": self.on_hold,
            "credit_group_head_id": self.group_head_id.id,
            "credit_collateral_value": self.collateral_value,
            "credit_collateral_note": self.collateral_note,
        }
        # Only what changes is sent: the grade's bounds are checked, where the
        # data is written, for a change of the grant only (e.g. not for a hold).
        values = {
            name: value
            for name, value in wanted.items()
            if partner._credit_policy_normalize(name, value) != partner._credit_policy_normalize(name, partner[name])
        }
        if not values:
            raise UserError(self.env._("Nothing changes: edit the credit data to change."))
        if "credit_grade_id" in values and self.grade_id:
            values.update(self.grade_id._review_dates())
        partner._credit_policy_set_master_data(values, reason=self.reason)
        return {"type": "ir.actions.act_window_close"}

    @api.depends("partner_id", "company_id", "grade_id")
    def _compute_purchase_bounds_note(self):
        """What the approver is held to when the grade grants at most one
        purchase or one purchasing cycle: the customer's figures, read by the
        server as the check reads them."""
        for wizard in self:
            grade = wizard.grade_id
            partner = wizard.partner_id.commercial_partner_id
            if not partner or not (grade.limit_at_most_one_purchase or grade.term_at_most_one_cycle):
                wizard.purchase_bounds_note = False
                continue
            company = wizard.company_id
            facts = self.env["credit.policy.evaluation"].sudo()._credit_purchase_facts(
                company, partner, fields.Date.context_today(self)
            )[partner.id]
            lines = []
            if grade.limit_at_most_one_purchase:
                lines.append(
                    self.env._(
                        "Limit at most one purchase: average order %(average)s over the last %(months)s months "
                        "(%(count)s orders).",
                        average=company.currency_id.format(facts.average_order),
                        months=facts.window_months,
                        count=facts.order_count,
                    )
                    if facts.average_order is not None
                    else self.env._(
                        "Limit at most one purchase: no confirmed order in the last %(months)s months, no bound.",
                        months=facts.window_months,
                    )
                )
            if grade.term_at_most_one_cycle:
                lines.append(
                    self.env._(
                        "Term at most one purchasing cycle: an order every %(cycle)s days on average over the last "
                        "%(months)s months.",
                        cycle=facts.cycle_days,
                        months=facts.window_months,
                    )
                    if facts.cycle_days is not None
                    else self.env._(
                        "Term at most one purchasing cycle: fewer than two order days in the last %(months)s months, "
                        "no bound.",
                        months=facts.window_months,
                    )
                )
            wizard.purchase_bounds_note = "\n".join(lines)
