from odoo import api, fields, models
from odoo.exceptions import AccessError

#: The company's credit settings a Credit Manager maintains (res.company, which
#: holds their constraints). Settings > Credit shows the same fields to admins.
CREDIT_SETTINGS_FIELDS = (
    "credit_grade_table_id",
    "credit_max_limit_increase_percent",
    "credit_facts_window_months",
    "credit_exposure_horizon_days",
    "credit_include_draft_invoices",
    "credit_unordered_shipment_days",
    "credit_warn_percent",
    "credit_alert_percent",
    "credit_repayment_plan_days",
    "credit_check_mode",
    "credit_max_overdue_percent",
    "credit_max_overdue_days",
    "credit_overdue_tolerance_amount",
    "credit_no_limit_mode",
    "credit_new_customer_max_order",
    "credit_release_manager_amount",
    "credit_release_tolerance_percent",
    "credit_release_validity_days",
    "credit_four_eyes",
    "credit_red_flag_hold",
    "credit_crisis_demand_percent",
    "credit_crisis_delay_jump_days",
)


class CreditPolicySettings(models.TransientModel):
    """Credit > Configuration > Settings: the credit settings of the current
    company, for Credit Managers.

    Odoo's Settings can only be saved by administrators (res.config.settings),
    so a Credit Manager maintains the credit policy here: the same company
    fields, checked by the same constraints, and nothing else of the company.
    The values are written to the company in one write, so that settings
    depending on each other (the two thresholds) are checked together.
    """

    _name = "credit.policy.settings"
    _description = "Credit Settings"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_grade_table_id = fields.Many2one(
        related="company_id.credit_grade_table_id",
        readonly=False,
        domain="[('company_id', '=', company_id)]",
    )
    credit_check_mode = fields.Selection(related="company_id.credit_check_mode", readonly=False)
    credit_warn_percent = fields.Float(related="company_id.credit_warn_percent", readonly=False)
    credit_alert_percent = fields.Float(related="company_id.credit_alert_percent", readonly=False)
    credit_repayment_plan_days = fields.Integer(related="company_id.credit_repayment_plan_days", readonly=False)
    credit_exposure_horizon_days = fields.Integer(related="company_id.credit_exposure_horizon_days", readonly=False)
    credit_include_draft_invoices = fields.Boolean(
        related="company_id.credit_include_draft_invoices", readonly=False
    )
    credit_unordered_shipment_days = fields.Integer(
        related="company_id.credit_unordered_shipment_days", readonly=False
    )
    credit_max_overdue_percent = fields.Float(related="company_id.credit_max_overdue_percent", readonly=False)
    credit_max_overdue_days = fields.Integer(related="company_id.credit_max_overdue_days", readonly=False)
    credit_overdue_tolerance_amount = fields.Monetary(
        related="company_id.credit_overdue_tolerance_amount", readonly=False
    )
    credit_no_limit_mode = fields.Selection(related="company_id.credit_no_limit_mode", readonly=False)
    credit_new_customer_max_order = fields.Monetary(
        related="company_id.credit_new_customer_max_order", readonly=False
    )
    credit_release_manager_amount = fields.Monetary(
        related="company_id.credit_release_manager_amount", readonly=False
    )
    credit_release_tolerance_percent = fields.Float(
        related="company_id.credit_release_tolerance_percent", readonly=False
    )
    credit_release_validity_days = fields.Integer(related="company_id.credit_release_validity_days", readonly=False)
    credit_max_limit_increase_percent = fields.Float(
        related="company_id.credit_max_limit_increase_percent", readonly=False
    )
    credit_facts_window_months = fields.Integer(related="company_id.credit_facts_window_months", readonly=False)
    credit_four_eyes = fields.Boolean(related="company_id.credit_four_eyes", readonly=False)
    credit_red_flag_hold = fields.Boolean(related="company_id.credit_red_flag_hold", readonly=False)
    credit_crisis_demand_percent = fields.Float(related="company_id.credit_crisis_demand_percent", readonly=False)
    credit_crisis_delay_jump_days = fields.Integer(related="company_id.credit_crisis_delay_jump_days", readonly=False)

    def _check_credit_settings_rights(self):
        if not self.env.su and not self.env.user.has_group("credit_policy.group_credit_policy_manager"):
            raise AccessError(self.env._("Only a Credit Manager may change the credit settings."))

    def _split_credit_settings(self, vals):
        """The settings to write on the company, and the other values.

        The company is always the user's current one, whatever the caller
        sends: a Credit Manager of one company cannot set another's policy.
        """
        settings = {name: vals[name] for name in CREDIT_SETTINGS_FIELDS if name in vals}
        others = {name: value for name, value in vals.items() if name not in settings}
        others.pop("company_id", None)
        return settings, others

    def _write_company_settings(self, settings):
        if settings:
            # sudo: Credit Managers may not write the company; the right was
            # checked above and only the credit settings are written.
            self.company_id.sudo().write(settings)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_credit_settings_rights()
        split = [self._split_credit_settings(vals) for vals in vals_list]
        records = super().create([dict(others, company_id=self.env.company.id) for _settings, others in split])
        for record, (settings, _others) in zip(records, split, strict=True):
            record._write_company_settings(settings)
        return records

    def write(self, vals):
        self._check_credit_settings_rights()
        settings, others = self._split_credit_settings(vals)
        for record in self:
            record._write_company_settings(settings)
        self.invalidate_recordset(list(settings))
        return super().write(others) if others else True

    def action_save(self):
        """The values are saved with the record: show them again, fresh."""
        self._check_credit_settings_rights()
        return self.env["ir.actions.act_window"]._for_xml_id("credit_policy.credit_policy_settings_action")
