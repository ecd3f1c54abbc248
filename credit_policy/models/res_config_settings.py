from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_grade_table_id = fields.Many2one(
        related="company_id.credit_grade_table_id", readonly=False
    )
    credit_check_mode = fields.Selection(related="company_id.credit_check_mode", readonly=False)
    credit_warn_percent = fields.Float(related="company_id.credit_warn_percent", readonly=False)
    credit_alert_percent = fields.Float(related="company_id.credit_alert_percent", readonly=False)
    credit_repayment_plan_days = fields.Integer(
        related="company_id.credit_repayment_plan_days", readonly=False
    )
    credit_exposure_horizon_days = fields.Integer(
        related="company_id.credit_exposure_horizon_days", readonly=False
    )
    credit_include_draft_invoices = fields.Boolean(
        related="company_id.credit_include_draft_invoices", readonly=False
    )
    credit_unordered_shipment_days = fields.Integer(
        related="company_id.credit_unordered_shipment_days", readonly=False
    )
    credit_max_overdue_percent = fields.Float(
        related="company_id.credit_max_overdue_percent", readonly=False
    )
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
    credit_release_validity_days = fields.Integer(
        related="company_id.credit_release_validity_days", readonly=False
    )
    credit_max_limit_increase_percent = fields.Float(
        related="company_id.credit_max_limit_increase_percent", readonly=False
    )
    credit_four_eyes = fields.Boolean(related="company_id.credit_four_eyes", readonly=False)
    credit_red_flag_hold = fields.Boolean(related="company_id.credit_red_flag_hold", readonly=False)
    credit_facts_window_months = fields.Integer(related="company_id.credit_facts_window_months", readonly=False)
    credit_total_limit_cap = fields.Monetary(related="company_id.credit_total_limit_cap", readonly=False)
    credit_total_cap_exposure = fields.Boolean(related="company_id.credit_total_cap_exposure", readonly=False)
