from odoo import fields, models, tools
from odoo.tools import SQL


class CreditPolicyArchiveComposition(models.Model):
    """Customer composition (客户构成分析, seed 003): confirmed sales by grade,
    product category and region, and open receivables (exposure) by grade and
    region, to set priorities. Amounts are in the company's currency."""

    _name = "credit.policy.archive.composition"
    _description = "Customer Composition Analysis"
    _auto = False
    _order = "date desc"

    kind = fields.Selection([("sale", "Sales"), ("exposure", "Exposure")], readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    grade_id = fields.Many2one("credit.policy.grade", string="Grade", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    sales_amount = fields.Float(readonly=True)
    exposure_amount = fields.Float(readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT sol.id * 2 AS id, 'sale' AS kind, so.date_order::date AS date, sol.company_id,
                   p.id AS partner_id, NULLIF(p.credit_grade_id ->> sol.company_id::text, '')::int AS grade_id,
                   pt.categ_id, p.country_id, p.state_id,
                   sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS sales_amount,
                   0.0 AS exposure_amount
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner cp ON cp.id = so.partner_id
              JOIN res_partner p ON p.id = COALESCE(cp.commercial_partner_id, cp.id)
              LEFT JOIN product_product pp ON pp.id = sol.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE so.state = 'sale' AND sol.display_type IS NULL
            UNION ALL
            SELECT aml.id * 2 + 1 AS id, 'exposure' AS kind, aml.date, aml.company_id,
                   p.id AS partner_id, NULLIF(p.credit_grade_id ->> aml.company_id::text, '')::int AS grade_id,
                   NULL AS categ_id, p.country_id, p.state_id,
                   0.0 AS sales_amount, aml.amount_residual AS exposure_amount
              FROM account_move_line aml
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN res_partner cp ON cp.id = aml.partner_id
              JOIN res_partner p ON p.id = COALESCE(cp.commercial_partner_id, cp.id)
             WHERE acc.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
               AND NOT aml.reconciled AND aml.amount_residual != 0
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
