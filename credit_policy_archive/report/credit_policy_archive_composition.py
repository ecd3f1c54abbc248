from odoo import fields, models, tools
from odoo.tools import SQL

# Row ids: the source record's id times ROW_KINDS plus the kind of row, so that
# every row keeps its id from one query to the next.
ROW_KINDS = 8
SALE, DELIVERED, OPEN_ORDER, RECEIVABLE, RECEIVABLE_SHARE = range(5)
# A receivable item's share rows: the item's id and its entry's product rank.
PRODUCTS_PER_ENTRY = 65536


class CreditPolicyArchiveComposition(models.Model):
    """Customer composition (客户构成分析, seed 003): confirmed sales and
    exposure by grade, product category and region, to set priorities.
    Amounts are in the company's currency. The grade of a row is the
    customer's grade in the credit control area of the row's company (its
    root company: a branch's documents are graded there, as the check does).

    Exposure rows are the open receivables, each item's residual shared out
    among the product categories of its invoice, and what the confirmed
    orders not invoiced yet put in the exposure, per order line, as the credit
    check counts them (``credit.policy.check._sql_order_line_exposure``).
    The check's seldom-used components (draft invoices, down payments not yet
    deducted, shipments without an order) are not broken down here.
    The open-order horizon depends on today's date and on each credit area's
    setting, so the rows are a query built at every read (``_table_query``),
    not a database view created at install."""

    _name = "credit.policy.archive.composition"
    _description = "Customer Composition Analysis"
    _auto = False
    _order = "date desc"

    kind = fields.Selection([("sale", "Sales"), ("exposure", "Exposure")], readonly=True)
    exposure_component = fields.Selection(
        [
            ("receivable", "Open Receivables"),
            ("delivered_uninvoiced", "Delivered, Not Invoiced"),
            ("open_order", "Confirmed Orders Not Delivered"),
        ],
        readonly=True,
    )
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    grade_id = fields.Many2one("credit.policy.grade", string="Grade", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    sales_amount = fields.Float(readonly=True)
    exposure_amount = fields.Float(readonly=True)

    @property
    def _table_query(self):
        self.env.flush_all()
        parts = [self._query_sales(), self._query_receivables()]
        parts += [self._query_order_lines(root) for root in self._credit_areas()]
        return SQL(
            """
            SELECT r.id, r.kind, r.exposure_component, r.date, r.company_id, p.id AS partner_id,
                   NULLIF(p.credit_grade_id ->> split_part(rc.parent_path, '/', 1), '')::int AS grade_id,
                   r.product_id, pt.categ_id, p.country_id, p.state_id,
                   r.sales_amount, r.exposure_amount
              FROM (%(rows)s) r
              JOIN res_partner p ON p.id = r.partner_id
              -- the grade of the credit area (credit.policy.check._credit_area):
              -- a branch's documents are graded in its root company
         LEFT JOIN res_company rc ON rc.id = r.company_id
         LEFT JOIN product_product pp ON pp.id = r.product_id
         LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            rows=SQL(" UNION ALL ").join(part for part in parts if part),
        )

    def _query_sales(self):
        """Confirmed order lines at their untaxed value, by ordering customer."""
        return SQL(
            """
            SELECT sol.id * %(kinds)s + %(sale)s AS id, 'sale' AS kind, NULL AS exposure_component,
                   so.date_order::date AS date, sol.company_id,
                   COALESCE(cp.commercial_partner_id, cp.id) AS partner_id, sol.product_id,
                   sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS sales_amount,
                   0.0 AS exposure_amount
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner cp ON cp.id = so.partner_id
             WHERE so.state = 'sale' AND sol.display_type IS NULL
            """,
            kinds=ROW_KINDS,
            sale=SALE,
        )

    def _query_receivables(self):
        """Open posted receivable items, each item's residual shared out among
        the products of its entry in proportion to their lines' amounts, taxes
        included (a credit note's lines share its negative residual the same
        way). Items of an entry without product lines (payments on account,
        manual entries), or whose product lines sum to zero, keep their whole
        residual on one row without a product. The products' shares are read
        for the open items' entries only (one index lookup per item), and a
        share row's id is the item's id and the product's rank in its entry,
        small enough for the web client's numbers."""
        return SQL(
            """
            SELECT CASE WHEN pl.product_rank IS NULL THEN i.id * %(kinds)s + %(whole)s
                        ELSE (i.id::bigint * %(products)s + pl.product_rank) * %(kinds)s + %(share)s END AS id,
                   'exposure' AS kind, 'receivable' AS exposure_component, i.date, i.company_id,
                   i.partner_id, pl.product_id, 0.0 AS sales_amount,
                   CASE WHEN pl.product_rank IS NULL THEN i.residual
                        ELSE i.residual * pl.amount / pl.entry_total END AS exposure_amount
              FROM (
                  SELECT aml.id, aml.move_id, aml.date, aml.company_id, aml.amount_residual AS residual,
                         COALESCE(cp.commercial_partner_id, cp.id) AS partner_id
                    FROM account_move_line aml
                    JOIN account_account acc ON acc.id = aml.account_id
                    JOIN res_partner cp ON cp.id = aml.partner_id
                   WHERE acc.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
                     AND NOT aml.reconciled AND aml.amount_residual != 0
              ) i
         LEFT JOIN LATERAL (
                  SELECT l.product_id, SUM(l.price_total) AS amount,
                         SUM(SUM(l.price_total)) OVER () AS entry_total,
                         ROW_NUMBER() OVER (ORDER BY l.product_id NULLS FIRST) AS product_rank
                    FROM account_move_line l
                   WHERE l.move_id = i.move_id AND l.display_type = 'product'
                GROUP BY l.product_id
              ) pl ON pl.entry_total != 0
            """,
            kinds=ROW_KINDS,
            products=PRODUCTS_PER_ENTRY,
            whole=RECEIVABLE,
            share=RECEIVABLE_SHARE,
        )

    def _credit_areas(self):
        """The root companies: each holds a credit control area (its branches'
        orders count in it, with its horizon and currency)."""
        return self.env["res.company"].sudo().search([("parent_id", "=", False)])

    def _query_order_lines(self, root):
        """What the confirmed order lines of the credit area of ``root`` put in
        the exposure, two rows per line (delivered and not invoiced, open
        order), read from the credit check's one home of that rule and
        converted into the area's currency at today's rate as the check
        converts them; ``None`` without confirmed orders."""
        check = self.env["credit.policy.check"]
        currencies = self.env["sale.order"].sudo()._read_group(
            [("state", "=", "sale"), ("company_id", "in", check._credit_area_company_ids(root))], ["currency_id"]
        )
        if not currencies:
            return None
        today = fields.Date.context_today(self)
        Currency = self.env["res.currency"]
        rates = SQL(", ").join(
            SQL("(%s, %s)", currency.id, Currency._get_conversion_rate(currency, root.currency_id, root, today))
            for (currency,) in currencies
        )
        return SQL(
            """
            SELECT l.id * %(kinds)s + c.row_kind AS id, 'exposure' AS kind, c.component AS exposure_component,
                   l.date_order::date AS date, l.company_id, l.partner_id, l.product_id,
                   0.0 AS sales_amount, c.amount * r.rate AS exposure_amount
              FROM (%(lines)s) l
              JOIN (VALUES %(rates)s) AS r(currency_id, rate) ON r.currency_id = l.currency_id
        CROSS JOIN LATERAL (
                  VALUES (%(delivered)s, 'delivered_uninvoiced', l.delivered),
                         (%(open)s, 'open_order', l.open)
              ) AS c(row_kind, component, amount)
             WHERE c.amount != 0
            """,
            kinds=ROW_KINDS,
            lines=check._sql_order_line_exposure(root),
            rates=rates,
            delivered=DELIVERED,
            open=OPEN_ORDER,
        )

    def init(self):
        # A database view up to 18.0.1.x: the rows are a query built at
        # every read now.
        tools.drop_view_if_exists(self.env.cr, self._table)
