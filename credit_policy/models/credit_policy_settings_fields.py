from odoo import api, fields, models


class CreditPolicySettingsFields(models.AbstractModel):
    """The company's credit settings a Credit Manager maintains, as fields
    related to the company's (res.company holds their constraints).

    One declaration for the two forms that edit them: Credit > Configuration >
    Settings (``credit.policy.settings``, Credit Managers) and Odoo's
    Settings > Credit (``res.config.settings``, administrators, who also see
    the settings that are theirs alone).
    """

    _name = "credit.policy.settings.fields"
    _description = "Credit Settings Fields"

    company_id = fields.Many2one("res.company")
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
    credit_watch_prepayment_percent = fields.Float(
        related="company_id.credit_watch_prepayment_percent", readonly=False
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
    credit_general_manager_limit = fields.Monetary(
        related="company_id.credit_general_manager_limit", readonly=False
    )
    credit_temporary_general_manager_limit = fields.Monetary(
        related="company_id.credit_temporary_general_manager_limit", readonly=False
    )
    credit_facts_window_months = fields.Integer(related="company_id.credit_facts_window_months", readonly=False)
    credit_red_flag_hold = fields.Boolean(related="company_id.credit_red_flag_hold", readonly=False)
    credit_key_data_ids = fields.Many2many(
        related="company_id.credit_key_data_ids", readonly=False
    )
    credit_crisis_demand_percent = fields.Float(related="company_id.credit_crisis_demand_percent", readonly=False)
    credit_crisis_delay_jump_days = fields.Integer(related="company_id.credit_crisis_delay_jump_days", readonly=False)

    @api.model
    def _credit_settings_field_names(self):
        """The names of the credit settings declared here."""
        return tuple(
            name for name, fld in self.env["credit.policy.settings.fields"]._fields.items()
            if name.startswith("credit_") and fld.related
        )
