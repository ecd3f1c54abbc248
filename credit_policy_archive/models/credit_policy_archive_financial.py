from odoo import api, fields, models

from .. import policy
from .credit_policy_archive_file_content_mixin import SOURCES

FIGURES = (
    "current_assets",
    "inventory",
    "total_assets",
    "current_liabilities",
    "total_liabilities",
    "revenue",
    "net_profit",
    "operating_cash_flow",
)


class CreditPolicyArchiveFinancial(models.Model):
    """One period's key figures of a customer's balance sheet, income and
    cash-flow statements, with the ratios derived from them (seed 004)."""

    _name = "credit.policy.archive.financial"
    _description = "Credit File Financial Statement"
    _inherit = ["credit.policy.archive.file.content.mixin"]
    _order = "file_id, period_end desc"

    period_end = fields.Date(required=True, help="Last day of the period the statements cover.")
    period_name = fields.Char(string="Period", help="e.g. 2024 Q3")
    source = fields.Selection(SOURCES, default="customer")
    currency_id = fields.Many2one(related="file_id.currency_id")
    current_assets = fields.Monetary(currency_field="currency_id")
    inventory = fields.Monetary(currency_field="currency_id")
    total_assets = fields.Monetary(currency_field="currency_id")
    current_liabilities = fields.Monetary(currency_field="currency_id")
    total_liabilities = fields.Monetary(currency_field="currency_id")
    revenue = fields.Monetary(currency_field="currency_id")
    net_profit = fields.Monetary(currency_field="currency_id")
    operating_cash_flow = fields.Monetary(currency_field="currency_id")
    current_ratio = fields.Float(compute="_compute_ratios", store=True, digits=(16, 2))
    quick_ratio = fields.Float(compute="_compute_ratios", store=True, digits=(16, 2))
    debt_ratio = fields.Float(string="Debt Ratio (%)", compute="_compute_ratios", store=True, digits=(16, 1))
    net_margin = fields.Float(string="Net Margin (%)", compute="_compute_ratios", store=True, digits=(16, 1))
    return_on_equity = fields.Float(
        string="Return on Equity (%)", compute="_compute_ratios", store=True, digits=(16, 1)
    )
    cash_flow_coverage = fields.Float(compute="_compute_ratios", store=True, digits=(16, 2))
    note = fields.Text()

    @api.depends(*FIGURES)
    def _compute_ratios(self):
        for statement in self:
            ratios = policy.financial_ratios({name: statement[name] for name in FIGURES})
            statement.update(ratios)
