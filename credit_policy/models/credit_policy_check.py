import dataclasses
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date, format_datetime

from odoo.addons.credit_policy import policy

#: One part of the exposure (POLICY.md §4). ``amounts(partners, company)``
#: returns ``{commercial partner id: amount in company currency}``;
#: ``domain(partners, company)`` returns ``(model, domain)`` of the documents
#: behind the amount, for the smart buttons.
ExposureComponent = namedtuple("ExposureComponent", "code name amounts domain")

#: Context key holding the :class:`FiguresBatch` of one figures computation.
BATCH_KEY = "credit_policy_figures_batch"
# Default of ``_get_credit_figures``: read the fingerprint there.
READ_FINGERPRINT = object()
# What the open items pass reads (see ``_open_item_facts``).
OPEN_ITEM_TABLES = ("account_account", "account_move_line", "res_company", "res_partner")


class FiguresBatch:
    """Query results shared by the parts of one figures computation (e.g. the
    open items pass read by both the receivables and the overdue facts).
    Lives in the context of that computation only; an RPC context carries
    JSON, never an instance of this class."""

    __slots__ = ("memo", "fingerprint")

    def __init__(self, fingerprint=None):
        self.memo = {}
        # what the data looked like when the computation started (see
        # ``_figures_fingerprint``), for the parts kept across computations
        self.fingerprint = fingerprint

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other


@dataclass
class CreditRuleInput:
    """What a credit rule looks at: the customer, the document and the figures."""

    partner: object  # commercial partner checked
    account: object  # partner holding the limit (group head or itself)
    company: object
    amount: float  # company currency, not yet counted in the exposure
    document_value: float  # company currency, the whole document's, counted in the exposure already or not
    order: object
    picking: object
    figures: dict
    member_figures: dict = field(default_factory=dict)


class CreditPolicyCheck(models.AbstractModel):
    """The credit check service (POLICY.md §4), shared by every caller.

    Sale order confirmation, the delivery block, the blocked documents list and
    the status snapshot all ask this service; it computes the exposure set-based
    and evaluates the rules, returning a :class:`policy.CreditCheckResult`.
    """

    _name = "credit.policy.check"
    _description = "Credit Check"

    # ------------------------------------------------------------------
    # Extension points
    # ------------------------------------------------------------------

    @api.model
    def _get_exposure_components(self):
        """Parts of the exposure, each counted once (POLICY.md §4).

        Extend to add a component (append an :data:`ExposureComponent`). An
        order's value counts as open order, then as delivered-not-invoiced, then
        as a (draft or posted) invoice, never twice: quantities invoiced ahead
        of delivery leave the order as soon as they are invoiced.
        """
        return [
            ExposureComponent(
                "receivable",
                self.env._("Open Receivables"),
                self._exposure_open_receivables,
                self._domain_open_receivables,
            ),
            ExposureComponent(
                "draft_invoice",
                self.env._("Draft Invoices"),
                self._exposure_draft_invoices,
                self._domain_draft_invoices,
            ),
            ExposureComponent(
                "delivered_uninvoiced",
                self.env._("Delivered, Not Invoiced"),
                self._exposure_delivered_uninvoiced,
                self._domain_open_orders,
            ),
            ExposureComponent(
                "open_order",
                self.env._("Confirmed Orders Not Delivered"),
                self._exposure_open_orders,
                self._domain_open_orders,
            ),
            ExposureComponent(
                "down_payment",
                self.env._("Down Payments Not Yet Deducted"),
                self._exposure_down_payments,
                self._domain_open_orders,
            ),
            ExposureComponent(
                "shipped_uninvoiced",
                self.env._("Shipped Without Order, Not Invoiced"),
                self._exposure_unordered_shipments,
                self._domain_unordered_shipments,
            ),
        ]

    @api.model
    def _get_credit_rules(self):
        """Rules of POLICY.md §4, as callables taking a :class:`CreditRuleInput`.

        Each returns a :class:`policy.RuleFailure` or ``None``. Extend by
        appending bound methods (never names read from data).
        """
        return [
            self._rule_credit_hold,
            self._rule_effective_limit,
            self._rule_sub_limit,
            self._rule_new_customer_max_order,
            self._rule_debt_without_limit,
            self._rule_overdue_share,
            self._rule_overdue_days,
            self._rule_payment_days,
            self._rule_prepayment,
            self._rule_red_flag_pending,
            self._rule_payment_term,
            self._rule_crisis_shipping,
            self._rule_crisis_new_orders,
        ]

    @api.model
    def _get_check_figures(self, partner, account, company):
        """Figures of the customer being checked that other addons add to a
        credit check, before the rules run (computed with each evaluation,
        memoized with it; figures of the credit account as a whole belong in
        :meth:`_get_extra_figures`, facts one query reads in
        :meth:`_get_check_fact_queries`). Declare the models they read in
        :meth:`_get_figure_models`.

        Extend to return more keys (call super and update its result); the
        rules read them from ``data.figures`` and the delivery block records
        the plain values in its snapshot. The dunning addon fills
        ``dunning_stage`` (shown in the blocked list and the prompt).

        :param partner: the commercial partner checked (sudo, in ``company``)
        :param account: the partner holding its credit limit
        :return: ``{figure name: value}``
        """
        return {"dunning_stage": False}

    @api.model
    def _get_check_fact_queries(self, partner, account, company, orders, picking):
        """Facts of one check that each need a query of their own, as scalar
        SQL queries: :meth:`_read_check_facts` reads them all in one statement
        (one round trip and one planning instead of one per fact). Each query
        is built by the model that owns its rule's data; the facts join the
        check's figures (``data.figures``).

        Extend (call super and add keys) for a rule of another addon; declare
        the models read in :meth:`_get_figure_models`.

        :param partner: the commercial partner checked (sudo, in ``company``)
        :param account: the partner holding its credit limit
        :param orders: the orders checked (a delivery's: those it ships)
        :param picking: the delivery checked, if any
        :return: ``{fact name: SQL}``
        """
        queries = {
            "crisis_level": self.env["credit.policy.crisis.level"]._highest_level_sql(partner | account, company),
        }
        # (a group's members' limits count too: its head may hold none itself)
        if (orders or picking) and (account.credit_temporary_limit_granted or account.credit_group_is_head):
            queries["document_temporary_limit"] = self._document_temporary_limit_sql(
                account, company, orders, picking
            )
        if company.credit_red_flag_hold:
            queries["red_flag_pending"] = SQL(
                "EXISTS(%s)", self.env["credit.policy.red.flag"].sudo()._search(
                    self._pending_red_flags_domain(partner | account, company)
                ).select()
            )
        return queries

    @api.model
    def _read_check_facts(self, partner, account, company, orders, picking):
        """The facts of :meth:`_get_check_fact_queries`, read in one statement:
        ``{fact name: value}``."""
        queries = self._get_check_fact_queries(partner, account, company, orders, picking)
        self.env.flush_all()
        row = self.env.execute_query(
            SQL("SELECT %s", SQL(", ").join(SQL("(%s)", query) for query in queries.values()))
        )[0]
        return dict(zip(queries, row))

    # ------------------------------------------------------------------
    # Exposure components (set-based; amounts in company currency)
    # ------------------------------------------------------------------

    @api.model
    def _credit_area(self, company):
        """The company holding the credit control area of ``company``.

        Like core's partner credit (``res.partner.credit`` sums the receivables
        of the whole company tree, ``company_id child_of root_id``), a branch
        has no credit control area of its own: its documents count in its root
        company's exposure, and the root's limits, temporary limits, grades and
        settings apply. Every entry point of the check maps the company it is
        given to its root with this method.
        """
        return company.root_id or company

    @api.model
    def _credit_area_to_change(self, company):
        """The credit area of ``company`` (:meth:`_credit_area`), where the
        customers' credit of ``company`` is changed and evaluated: its records
        are the root's, so a user working in a branch must have selected the
        root company too (else he could not read what he creates)."""
        area = self._credit_area(company)
        if area != company and not self.env.su and area not in self.env.companies:
            raise UserError(
                self.env._(
                    "The customers' credit in %(branch)s is the credit of its parent company %(root)s: "
                    "select %(root)s in the company switcher to change it or evaluate a customer.",
                    branch=company.sudo().name,
                    root=area.sudo().name,  # a company he has not selected: not readable to him
                )
            )
        return area

    @api.model
    def _credit_area_company_ids(self, company):
        """Ids of the companies whose documents count in the credit control
        area of ``company``: its root company and all the root's branches."""
        return self._credit_area_company_ids_of_root(self._credit_area(company).id)

    @tools.ormcache("root_id")
    def _credit_area_company_ids_of_root(self, root_id):
        # Cached: creating or deleting a company clears the registry's caches,
        # and a company's parent cannot change.
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        return tuple(companies.search([("id", "child_of", root_id)]).ids)

    @api.model
    def _fetch_credit_settings(self, companies):
        """Read the credit settings of ``companies`` (their stored ``credit_*``
        fields), currencies and parents in one narrow query, not every column of
        the company (for checks on a cold cache)."""
        companies.fetch(self._credit_settings_fields())

    @tools.ormcache()
    def _credit_settings_fields(self):
        return tuple(
            name for name, fld in self.env["res.company"]._fields.items()
            if fld.store and fld.column_type  # one query: no relation tables (the key data fields)
            and (name.startswith("credit_") or name in ("currency_id", "parent_id", "parent_path"))
        )

    def _receivable_line_domain(self, partners, company):
        return [
            ("company_id", "in", self._credit_area_company_ids(company)),
            ("partner_id.commercial_partner_id", "in", partners.ids),
            ("account_type", "=", "asset_receivable"),
        ]

    def _sum_by_commercial_partner(self, model, domain, aggregate):
        rows = self.env[model].sudo()._read_group(domain, ["partner_id"], [aggregate])
        result = defaultdict(float)
        for partner, amount in rows:
            result[partner.commercial_partner_id.id] += amount or 0.0
        return result

    def _partners_with(self, kind, partners, company):
        """The commercial partners of ``partners`` that may have items of a
        seldom-used exposure component: ``kind`` is ``"draft_invoice"``,
        ``"down_payment"`` or ``"shipped_uninvoiced"``.

        Most customers have none of them, and the queries of these components
        join many tables, so that PostgreSQL spends more time planning them
        than running them. One cheap query per figures computation
        (:class:`FiguresBatch`) finds who has any candidate at all (a superset:
        the component's own query still decides what counts); the components
        skip the others.
        """
        partners = partners.commercial_partner_id
        if not partners:
            return partners
        found = self._in_batch(
            ("candidates", tuple(sorted(partners.ids))), lambda: self._read_component_candidates(partners, company)
        )
        return partners.filtered(lambda partner: partner.id in found[kind])

    def _read_component_candidates(self, partners, company):
        """The query of :meth:`_partners_with`: ``{kind: commercial partner ids}``."""
        self.env.flush_all()
        days = self._credit_area(company).credit_unordered_shipment_days or 0
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       BOOL_OR(EXISTS (
                           SELECT 1 FROM account_move_line aml
                            WHERE aml.partner_id = p.id AND aml.parent_state = 'draft'
                       )),
                       BOOL_OR(EXISTS (
                           SELECT 1 FROM sale_order so
                             JOIN sale_order_line dp ON dp.order_id = so.id
                            WHERE so.partner_invoice_id = p.id AND so.state = 'sale' AND dp.is_downpayment
                       )),
                       BOOL_OR(%(days)s > 0 AND EXISTS (
                           SELECT 1 FROM stock_picking sp
                             JOIN stock_move sm ON sm.picking_id = sp.id
                            WHERE sp.partner_id = p.id AND sm.state = 'done' AND sm.sale_line_id IS NULL
                              AND sm.date >= %(since)s
                       ))
                  FROM res_partner p
                 WHERE p.commercial_partner_id IN %(partners)s
              GROUP BY p.commercial_partner_id
                """,
                partners=tuple(partners.ids),
                days=days,
                since=fields.Datetime.now() - timedelta(days=days),
            )
        )
        return {
            kind: {row[0] for row in rows if row[index]}
            for index, kind in enumerate(("draft_invoice", "down_payment", "shipped_uninvoiced"), start=1)
        }

    def _exposure_open_receivables(self, partners, company):
        """Posted, unreconciled receivable lines (payments on account reduce them)."""
        return {
            partner_id: facts["receivable"]
            for partner_id, facts in self._open_item_facts(partners, company).items()
        }

    def _domain_open_receivables(self, partners, company):
        return "account.move.line", self._receivable_line_domain(partners, company) + [
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]

    def _exposure_draft_invoices(self, partners, company):
        """Draft customer invoices.

        Draft invoices created from orders always count: their quantities are
        already "invoiced" on the order, so leaving them out would lose them.
        Other draft invoices count when the company setting asks for it.
        """
        partners = self._partners_with("draft_invoice", partners, company)
        if not partners:
            return {}
        model, domain = self._domain_draft_invoices(partners, company)
        return self._sum_by_commercial_partner(model, domain, "balance:sum")

    def _domain_draft_invoices(self, partners, company):
        domain = self._receivable_line_domain(partners, company) + [
            ("parent_state", "=", "draft"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
        ]
        if not company.credit_include_draft_invoices:
            domain.append(("move_id.line_ids.sale_line_ids", "!=", False))
        return "account.move.line", domain

    def _domain_open_orders(self, partners, company):
        return "sale.order", [
            ("company_id", "in", self._credit_area_company_ids(company)),
            ("partner_invoice_id.commercial_partner_id", "in", partners.ids),
            ("state", "=", "sale"),
            ("invoice_status", "!=", "invoiced"),
        ]

    def _convert_grouped(self, rows, company):
        """Sum ``(partner id, currency id, amount)`` rows into company currency."""
        result = defaultdict(float)
        today = fields.Date.context_today(self)
        currencies = self.env["res.currency"].browse({row[1] for row in rows})
        for partner_id, currency_id, amount in rows:
            currency = currencies.browse(currency_id)
            result[partner_id] += currency._convert(
                amount or 0.0, company.currency_id, company, today
            )
        return result

    @api.model
    def _sql_items_net_of_credit(self, company_ids, items=SQL("TRUE"), partners=SQL("TRUE")):
        """SQL selecting the open posted receivable items of the companies
        ``company_ids`` that pass ``items`` (a condition on ``aml``, its move
        ``am`` and partner ``p``), of the customers passing ``partners`` (on
        ``p``), each with what it leaves open net of its customer's credit on
        account: unmatched payments and credit notes pay the selected items
        oldest first (due date, then id), as :func:`policy.net_overdue` nets
        them. The one home of that netting in SQL for the dunning runs and the
        payment-behaviour checks.

        Columns: ``id``, ``partner_id`` (commercial), ``date_maturity``,
        ``residual`` and ``net`` (zero or less when the credit covers it)."""
        return SQL(
            """
            WITH open_items AS (
                SELECT aml.id, p.commercial_partner_id AS partner_id, aml.date_maturity,
                       aml.amount_residual AS residual, %(items)s AS selected
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id IN %(companies)s
                   AND acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND NOT aml.reconciled
                   AND aml.amount_residual != 0
                   AND %(partners)s
            ), credits AS (
                SELECT partner_id, -SUM(residual) AS amount
                  FROM open_items
                 WHERE residual < 0
              GROUP BY partner_id
            ), items AS (
                SELECT id, partner_id, date_maturity, residual,
                       SUM(residual) OVER (PARTITION BY partner_id ORDER BY date_maturity, id) AS running
                  FROM open_items
                 WHERE residual > 0 AND selected
            )
            SELECT i.id, i.partner_id, i.date_maturity, i.residual,
                   LEAST(i.residual, i.running - COALESCE(c.amount, 0)) AS net
              FROM items i
         LEFT JOIN credits c ON c.partner_id = i.partner_id
            """,
            companies=tuple(company_ids),
            items=items,
            partners=partners,
        )

    @api.model
    def _sql_item_settlements(self, company_ids):
        """SQL selecting how the posted receivable items of the companies
        ``company_ids`` were settled: one row per reconciliation
        (``account.partial.reconcile``) of an item (a receivable debit line)
        with what settled it. The one home in SQL of what counts as the
        customer paying, for the payment-behaviour facts (days to pay, paid
        on time, payments per month, paid late, payment delays).

        The rule (POLICY.md §2-3: the customer's record is his 回款, the money
        he pays back, "actual payment days" in seed 000): only the customer's
        money is a payment. Two settlements are not:

        * a credit note (``out_refund``): we cancelled or reduced the claim
          (a return, a price reduction, often our own quality or delivery
          fault, which seed 001 excludes from the customer's record); the
          credited part is never paid, so never paid late either;
        * an exchange difference entry (an entry some reconciliation names
          as its ``exchange_move_id``, or one in its company's currency
          exchange journal): the accounting's revaluation of the item at the
          rate of the payment, dated when Odoo books it, not a payment.

        Everything else reconciled with the item (payments, bank statement
        lines, manual entries) is the customer paying.

        Columns: ``line_id`` (the item), ``kind`` (``'payment'``,
        ``'credit_note'`` or ``'exchange'``), ``settled_on`` (the partial's
        ``max_date``: the later of the item's and the settlement's dates) and
        ``amount`` in company currency: what the settlement was worth on its
        own date (for a payment in a foreign currency, its amount at the rate
        of the day the customer paid), and ``cleared``: what it cleared of the
        item, at the item's own rate."""
        self.env["account.move.line"].flush_model(
            ["move_id", "account_id", "company_id", "parent_state", "balance", "amount_currency"]
        )
        self.env["account.move"].flush_model(["move_type", "journal_id", "company_id"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["account.partial.reconcile"].flush_model()
        self.env["res.company"].flush_model(["currency_exchange_journal_id"])
        return SQL(
            """
            SELECT apr.debit_move_id AS line_id,
                   CASE WHEN cm.move_type = 'out_refund' THEN 'credit_note'
                        WHEN cm.journal_id = rc.currency_exchange_journal_id
                          OR EXISTS (SELECT 1 FROM account_partial_reconcile x WHERE x.exchange_move_id = cm.id)
                        THEN 'exchange'
                        ELSE 'payment' END AS kind,
                   apr.max_date AS settled_on,
                   COALESCE(apr.credit_amount_currency * cl.balance / NULLIF(cl.amount_currency, 0), apr.amount)
                       AS amount,
                   apr.amount AS cleared
              FROM account_partial_reconcile apr
              JOIN account_move_line l ON l.id = apr.debit_move_id
              JOIN account_account a ON a.id = l.account_id
              JOIN account_move_line cl ON cl.id = apr.credit_move_id
              JOIN account_move cm ON cm.id = cl.move_id
              JOIN res_company rc ON rc.id = cm.company_id
             WHERE l.company_id IN %(companies)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
            """,
            companies=tuple(company_ids),
        )

    def _sql_line_due_within_horizon(self, company):
        """SQL condition: order line ``sol`` of order ``so`` is due within the horizon.

        The one home of the open-order horizon (POLICY.md §4): a line is due at
        the order's commitment date, else at the order date plus the line's lead
        time. Open orders, the down payments taken off them and the delivery
        block all use this rule. Without a horizon every line is due.
        """
        company = self._credit_area(company)
        if not company.credit_exposure_horizon_days:
            return SQL("TRUE")
        until = fields.Datetime.now() + timedelta(days=company.credit_exposure_horizon_days)
        return SQL(
            "COALESCE(so.commitment_date, so.date_order + sol.customer_lead * interval '1 day') <= %s",
            until,
        )

    @api.model
    def _sql_line_still_to_deliver(self):
        """SQL (joined to ``sol``, an order line) giving ``to_deliver``: the
        quantity of the line still to be delivered, in the line's unit — the
        one home of "confirmed orders not yet delivered" (POLICY.md §4).

        A line shipped by stock moves of its own product still has to deliver
        what its pending deliveries to the customer carry, up to its ordered
        quantity not yet delivered: goods returned for a refund, or whose
        delivery was cancelled without a backorder, are no longer to be
        delivered (a delivery made again for them counts again).
        A line without such moves yet (a service, a dropship not yet ordered
        from the vendor) or shipped as other goods (a kit's components) has
        its ordered quantity not yet delivered to deliver."""
        return SQL(
            """
            LEFT JOIN LATERAL (
                SELECT LEAST(
                           GREATEST(sol.product_uom_qty - sol.qty_delivered, 0),
                           CASE WHEN COUNT(sm.id) > 0
                                 AND BOOL_AND(sm.product_id = sol.product_id AND sm.product_uom = sol.product_uom)
                                THEN COALESCE(SUM(sm.product_uom_qty) FILTER (WHERE sm.state NOT IN ('done', 'cancel')), 0)
                           END
                       ) AS to_deliver
                  FROM stock_move sm
                  JOIN stock_location dest ON dest.id = sm.location_dest_id AND dest.usage = 'customer'
                 WHERE sm.sale_line_id = sol.id
            ) pending ON TRUE
            """
        )

    @api.model
    def _sql_line_credited_beyond_returns(self):
        """SQL (joined to ``sol``, an order line) giving ``credited.quantity``:
        the quantity of the line's credit notes (not cancelled, in the line's
        unit) beyond its goods returned to be refunded, for a line Odoo counts
        as delivered and not fully invoiced — the one home of that rule.

        Odoo lowers a line's invoiced quantity by every credit note made from
        its invoices, whatever it credits: a price reduction on goods
        delivered and invoiced leaves them "to invoice" again. Goods returned
        to be refunded are no longer delivered either (Odoo lowers the line's
        delivered quantity by them); what a credit note credits beyond them
        is goods the customer keeps, invoiced and credited in part: not
        "delivered, not invoiced" (POLICY.md §4). A line delivered no more
        than invoiced reads nothing."""
        return SQL(
            """
            LEFT JOIN LATERAL (
                SELECT GREATEST(COALESCE(refunded.quantity, 0) - COALESCE(returned.quantity, 0), 0) AS quantity
                  FROM (
                      SELECT SUM(aml.quantity / COALESCE(iu.factor, lu.factor) * lu.factor) AS quantity
                        FROM sale_order_line_invoice_rel rel
                        JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                        JOIN account_move am ON am.id = aml.move_id
                        JOIN uom_uom lu ON lu.id = sol.product_uom
                   LEFT JOIN uom_uom iu ON iu.id = aml.product_uom_id
                       -- only for a line Odoo counts as delivered and not
                       -- fully invoiced (a one-time filter: no scan otherwise)
                       WHERE sol.qty_delivered > sol.qty_invoiced
                         AND rel.order_line_id = sol.id
                         AND am.move_type = 'out_refund'
                         AND am.state != 'cancel'
                  ) refunded, (
                      SELECT SUM(r.quantity / ru.factor * lu.factor) AS quantity
                        FROM stock_move r
                        JOIN stock_location rs ON rs.id = r.location_id
                        JOIN uom_uom ru ON ru.id = r.product_uom
                        JOIN uom_uom lu ON lu.id = sol.product_uom
                       WHERE sol.qty_delivered > sol.qty_invoiced
                         AND r.sale_line_id = sol.id
                         AND r.product_id = sol.product_id
                         AND r.state = 'done'
                         AND r.to_refund
                         AND rs.usage = 'customer'
                  ) returned
            ) credited ON TRUE
            """
        )

    @api.model
    def _sql_line_open_quantity(self):
        """SQL: the quantity of order line ``sol`` (joined to
        :meth:`_sql_line_still_to_deliver`) neither delivered nor invoiced —
        what was invoiced ahead of delivery is a receivable already."""
        return SQL(
            "GREATEST(pending.to_deliver - GREATEST(sol.qty_invoiced - sol.qty_delivered, 0), 0)"
        )

    @api.model
    def _sql_line_counted_quantity(self, company):
        """SQL: the quantity of the goods of order line ``sol`` (of order
        ``so``, joined to :meth:`_sql_line_still_to_deliver`) that the
        exposure counts, delivered or not, in the line's unit: ``max(delivered,
        invoiced)``, plus what is still to be delivered and not invoiced when
        the line is due within the horizon (:meth:`_sql_line_open_quantity`).
        The one home of that rule in SQL: the delivery block
        (:meth:`_order_line_counted_quantities`) and the down payments taken
        off (:meth:`_exposure_down_payments`) read it."""
        return SQL(
            "GREATEST(sol.qty_delivered, sol.qty_invoiced) + CASE WHEN %s THEN %s ELSE 0 END",
            self._sql_line_due_within_horizon(company),
            self._sql_line_open_quantity(),
        )

    @api.model
    def _order_line_counted_quantities(self, lines, company):
        """Of each order line of ``lines``, its delivered quantity and the
        quantity of its goods the exposure counts already, delivered or not,
        in the line's unit.

        A confirmed order line puts its price times ``max(delivered, invoiced)
        - invoiced`` in "delivered, not invoiced", its invoiced quantity in the
        receivables (or the draft invoices) and, when it is due within the
        horizon, what is still to be delivered and not invoiced in the open
        orders (:meth:`_sql_line_open_quantity`): ``max(delivered, invoiced) +
        open if due`` in all. Shipping goods of the line adds to the exposure
        only what takes its delivered quantity beyond that: goods shipped beyond
        what is to be delivered, or of a line due after the horizon and not
        invoiced ahead. A line of an order not confirmed is not counted at all
        (absent).

        :return: ``{line id: (delivered, counted, ordered)}``, ``ordered``
            being ``max(delivered, invoiced) + open`` whatever the horizon
            (what the order itself is worth in the line's goods)
        """
        lines = lines.filtered("id")
        if not lines:
            return {}
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT sol.id, sol.qty_delivered,
                       %(counted)s,
                       GREATEST(sol.qty_delivered, sol.qty_invoiced) + %(open)s
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  %(pending)s
                 WHERE sol.id IN %(lines)s
                   AND so.state = 'sale'
                """,
                lines=tuple(lines.ids),
                counted=self._sql_line_counted_quantity(company),
                pending=self._sql_line_still_to_deliver(),
                open=self._sql_line_open_quantity(),
            )
        )
        return {
            line_id: (delivered or 0.0, counted or 0.0, ordered or 0.0) for line_id, delivered, counted, ordered in rows
        }

    @api.model
    def _sql_line_unit_value(self):
        """SQL: the value of one unit of order line ``sol``, taxes included,
        in the order's currency: the line's total over its ordered quantity,
        unrounded (:func:`policy.line_unit_value`, which the delivery block
        values shipped goods with). Not the stored ``price_reduce_taxinc``,
        rounded to the cent: 1,000 units at 11.4885 are 11,488.50, the
        order's total, not 11,490.00."""
        return SQL("COALESCE(sol.price_total / NULLIF(sol.product_uom_qty, 0), 0)")

    @api.model
    def _sql_order_line_exposure(self, company, partners=SQL("TRUE"), credit_notes=True):
        """SQL selecting what each confirmed order line of the credit area of
        ``company`` puts in the exposure, for the customers passing
        ``partners`` (a condition on ``p``, the order's invoice address). The
        one home of that rule in SQL (POLICY.md §4): :meth:`_order_line_amounts`
        sums it for the credit check, the customer composition analysis breaks
        it down by product category.

        A line puts its value delivered and not invoiced (credit notes beyond
        the goods returned not un-invoicing it,
        :meth:`_sql_line_credited_beyond_returns`) in "delivered, not
        invoiced" and, when it is due within the horizon
        (:meth:`_sql_line_due_within_horizon`), the value of what it still has
        to deliver and is not invoiced in the open orders
        (:meth:`_sql_line_open_quantity`). Section and note lines and down payments
        (:meth:`_exposure_down_payments`) are left out.

        Columns: ``id`` (the line), ``order_id``, ``company_id``,
        ``partner_id`` (the commercial partner of the invoice address),
        ``currency_id`` (the order's), ``product_id``, ``date_order``,
        ``delivered`` and ``open`` (``NULL`` when the line is not due), at the
        line's unit value incl. taxes (:meth:`_sql_line_unit_value`), in the
        order's currency, and ``credited``: whether a credit note may have
        lowered the line's invoiced quantity (delivered beyond it, with invoice
        lines). ``credit_notes=False`` leaves the credit notes unread (their
        joins cost more planning than the rest of the statement): right only
        for lines none of which is ``credited``."""
        return SQL(
            """
            SELECT sol.id, sol.order_id, so.company_id, p.commercial_partner_id AS partner_id,
                   so.currency_id, sol.product_id, so.date_order,
                   GREATEST(sol.qty_delivered - sol.qty_invoiced - %(credited_quantity)s, 0)
                       * %(unit_value)s AS delivered,
                   CASE WHEN %(due)s THEN %(open)s * %(unit_value)s END AS open,
                   sol.qty_delivered > sol.qty_invoiced AND EXISTS (
                       SELECT 1 FROM sale_order_line_invoice_rel rel WHERE rel.order_line_id = sol.id
                   ) AS credited
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner p ON p.id = so.partner_invoice_id
              %(pending)s
              %(credited)s
             WHERE so.state = 'sale'
               AND so.company_id IN %(companies)s
               AND %(partners)s
               AND sol.display_type IS NULL
               AND NOT COALESCE(sol.is_downpayment, FALSE)
            """,
            companies=self._credit_area_company_ids(company),
            partners=partners,
            due=self._sql_line_due_within_horizon(company),
            pending=self._sql_line_still_to_deliver(),
            open=self._sql_line_open_quantity(),
            unit_value=self._sql_line_unit_value(),
            credited=self._sql_line_credited_beyond_returns() if credit_notes else SQL(),
            credited_quantity=SQL("COALESCE(credited.quantity, 0)" if credit_notes else "0"),
        )

    def _order_line_amounts(self, partners, company):
        """What the confirmed order lines of ``partners`` put in the exposure
        (:meth:`_sql_order_line_exposure`), per (commercial partner,
        currency): the value delivered and not invoiced, and the value
        neither delivered nor invoiced of the lines due within the horizon.
        One query for both components, memoized for the figures computation
        (:class:`FiguresBatch`); read again with the credit notes only when a
        line may have some (few customers: a line invoiced in part, or
        credited).

        :return: ``[(partner id, currency id, delivered, open)]``
        """
        partners = partners.commercial_partner_id

        def query(credit_notes):
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT l.partner_id, l.currency_id, SUM(l.delivered), SUM(l.open), BOOL_OR(l.credited)
                      FROM (%(lines)s) l
                  GROUP BY l.partner_id, l.currency_id
                    """,
                    lines=self._sql_order_line_exposure(
                        company, SQL("p.commercial_partner_id IN %s", tuple(partners.ids)), credit_notes
                    ),
                )
            )
            return rows, any(row[4] for row in rows)

        def read():
            self.env.flush_all()
            rows, credited = query(credit_notes=False)
            if credited:
                rows, credited = query(credit_notes=True)
            return [row[:4] for row in rows]

        if not partners:
            return []
        return self._in_batch(("order_lines", tuple(sorted(partners.ids)), company.id), read)

    def _exposure_delivered_uninvoiced(self, partners, company):
        """Delivered quantities not yet invoiced, at the line's unit price incl. taxes."""
        rows = self._order_line_amounts(partners, company)
        return self._convert_grouped([(partner, currency, delivered) for partner, currency, delivered, _open in rows],
                                     company)

    def _exposure_open_orders(self, partners, company):
        """Ordered quantities neither delivered nor invoiced, due within the horizon.

        What was invoiced ahead of delivery is a receivable already, hence
        ``ordered - max(delivered, invoiced)``.
        """
        rows = self._order_line_amounts(partners, company)
        return self._convert_grouped([(partner, currency, open_) for partner, currency, _delivered, open_ in rows],
                                     company)

    def _exposure_down_payments(self, partners, company):
        """Down payments invoiced on open orders and not yet deducted (negative).

        The order's full value still counts as open order while its down payment
        invoice is a receivable; this component takes the down payment off once,
        until the final invoice deducts it. A down payment pays for its own
        order only: it is taken off up to the value of the order's goods the
        exposure counts (:meth:`_sql_line_counted_quantity`: delivered,
        invoiced, or due within the horizon), never more: a down payment on
        an order not counted, or the part of it beyond the goods counted, would
        otherwise pay the customer's other debts and understate the exposure.
        """
        partners = self._partners_with("down_payment", partners, company)
        if not partners:
            return {}
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                WITH down_payment AS (
                    -- what is left to deduct of each order's down payments,
                    -- in the order's currency (its invoices')
                    SELECT so.id AS order_id, so.currency_id, p.commercial_partner_id AS partner_id,
                           SUM(CASE WHEN am.move_type = 'out_refund' THEN -aml.price_total
                                    ELSE aml.price_total END) AS amount
                      FROM sale_order_line_invoice_rel rel
                      JOIN sale_order_line dp ON dp.id = rel.order_line_id
                      JOIN sale_order so ON so.id = dp.order_id
                      JOIN res_partner p ON p.id = so.partner_invoice_id
                      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                      JOIN account_move am ON am.id = aml.move_id
                     WHERE dp.is_downpayment
                       AND so.state = 'sale'
                       AND am.state != 'cancel'
                       AND so.company_id IN %(companies)s
                       AND p.commercial_partner_id IN %(partners)s
                  GROUP BY so.id, so.currency_id, p.commercial_partner_id
                ), counted AS (
                    -- the value of each of these orders' goods the exposure counts
                    SELECT sol.order_id, SUM((%(counted)s) * %(unit_value)s) AS amount
                      FROM sale_order_line sol
                      JOIN sale_order so ON so.id = sol.order_id
                      %(pending)s
                     WHERE sol.order_id IN (SELECT order_id FROM down_payment)
                       AND sol.display_type IS NULL
                       AND NOT COALESCE(sol.is_downpayment, FALSE)
                  GROUP BY sol.order_id
                )
                SELECT dp.partner_id, dp.currency_id,
                       -SUM(LEAST(dp.amount, GREATEST(COALESCE(c.amount, 0), 0)))
                  FROM down_payment dp
             LEFT JOIN counted c ON c.order_id = dp.order_id
              GROUP BY dp.partner_id, dp.currency_id
                """,
                companies=self._credit_area_company_ids(company),
                partners=tuple(partners.ids),
                counted=self._sql_line_counted_quantity(company),
                unit_value=self._sql_line_unit_value(),
                pending=self._sql_line_still_to_deliver(),
            )
        )
        return self._convert_grouped(rows, company)

    def _unordered_shipment_rows(self, partners, company):
        """Goods shipped to ``partners`` without a sale order and still counted:
        ``[(move id, commercial partner id, product id, quantity)]``, the
        quantity in the product's unit, net of what came back.

        Counted: done moves of the credit control area from our stock
        (internal or transit locations) to a customer location, without an
        order line, outside the point of sale, whose transfer names the
        customer, shipped within the company's "shipments without order count
        for" days (0: never counted), and whose delivery no customer invoice
        of that customer names in its source document yet (a posted one, or a
        draft one when draft invoices count in the exposure). No invoice line
        links such goods to their invoice: naming the delivery in the source
        document, or the days running out, is what says they are invoiced.
        Done returns of the moves reduce them.
        """
        area = self._credit_area(company)
        days = area.credit_unordered_shipment_days
        if not days or not partners:
            return []
        self.env.flush_all()
        pos_sql = (
            SQL("sp.pos_order_id IS NULL") if "pos_order_id" in self.env["stock.picking"]._fields else SQL("TRUE")
        )
        invoice_states = ("posted", "draft") if area.credit_include_draft_invoices else ("posted",)
        return self.env.execute_query(
            SQL(
                """
                SELECT sm.id, p.commercial_partner_id, sm.product_id,
                       GREATEST(
                           sm.quantity / mu.factor * pu.factor
                           - COALESCE((
                               SELECT SUM(r.quantity / ru.factor * pu.factor)
                                 FROM stock_move r
                                 JOIN uom_uom ru ON ru.id = r.product_uom
                                WHERE r.origin_returned_move_id = sm.id
                                  AND r.state = 'done'
                           ), 0),
                           0)
                  FROM stock_move sm
                  JOIN stock_picking sp ON sp.id = sm.picking_id
                  JOIN res_partner p ON p.id = sp.partner_id
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dst ON dst.id = sm.location_dest_id
                  JOIN product_product pp ON pp.id = sm.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom mu ON mu.id = sm.product_uom
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                 WHERE sm.state = 'done'
                   AND sm.sale_line_id IS NULL
                   AND sm.company_id IN %(companies)s
                   AND p.commercial_partner_id IN %(partners)s
                   AND src.usage IN ('internal', 'transit')
                   AND (dst.usage = 'customer' OR EXISTS (
                       SELECT 1
                         FROM stock_move_line sml
                         JOIN stock_location ld ON ld.id = sml.location_dest_id
                        WHERE sml.move_id = sm.id AND ld.usage = 'customer'
                   ))
                   AND sm.date >= %(since)s
                   AND %(pos)s
                   AND NOT EXISTS (
                       SELECT 1
                         FROM account_move am
                        WHERE am.move_type = 'out_invoice'
                          AND am.state IN %(invoice_states)s
                          AND am.commercial_partner_id = p.commercial_partner_id
                          AND am.company_id IN %(companies)s
                          AND sp.name = ANY(regexp_split_to_array(am.invoice_origin, '\\s*,\\s*'))
                   )
                """,
                companies=self._credit_area_company_ids(company),
                partners=tuple(partners.ids),
                since=fields.Datetime.now() - timedelta(days=days),
                pos=pos_sql,
                invoice_states=invoice_states,
            )
        )

    def _exposure_unordered_shipments(self, partners, company):
        """Goods shipped without a sale order and not invoiced yet, at what
        their invoice will claim (:meth:`_unordered_goods_value`), as the
        delivery block valued them when they left (see
        :meth:`_unordered_shipment_rows` for when they stop counting)."""
        rows = self._unordered_shipment_rows(self._partners_with("shipped_uninvoiced", partners, company), company)
        quantities = defaultdict(float)
        for _move_id, partner_id, product_id, qty in rows:
            quantities[partner_id, product_id] += qty or 0.0
        area = self._credit_area(company)
        products = self.env["product.product"].sudo().with_company(area).browse({key[1] for key in quantities})
        customers = self.env["res.partner"].sudo().with_company(area).browse({key[0] for key in quantities})
        result = defaultdict(float)
        for (partner_id, product_id), qty in quantities.items():
            result[partner_id] += self._unordered_goods_value(
                products.browse(product_id), qty, customers.browse(partner_id), area
            )
        return result

    @api.model
    def _unordered_goods_value(self, product, quantity, partner, company):
        """Value in company currency of ``quantity`` (in the product's unit)
        of ``product`` shipped to ``partner`` without a sale order: what its
        invoice will claim, the product's sales price with its customer
        taxes in the credit area of ``company``, mapped by the customer's
        fiscal position (goods of an order line count taxes included too).
        The one home of that valuation: the exposure and the delivery block."""
        area = self._credit_area(company)
        product = product.sudo().with_company(area)
        price = product.lst_price
        taxes = product.taxes_id._filter_taxes_by_company(area)
        if taxes and partner:
            position = self.env["account.fiscal.position"].sudo().with_company(area)._get_fiscal_position(
                partner.commercial_partner_id
            )
            taxes = position.map_tax(taxes)
        if not taxes:
            return price * quantity
        return taxes.compute_all(
            price, currency=area.currency_id, quantity=quantity, product=product,
            partner=partner.commercial_partner_id if partner else None,
        )["total_included"]

    def _domain_unordered_shipments(self, partners, company):
        rows = self._unordered_shipment_rows(partners, company)
        return "stock.move", [("id", "in", [row[0] for row in rows])]

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _get_credit_account(self, partner):
        """Partner holding the limit: the credit group head, or the commercial partner."""
        commercial = partner.commercial_partner_id
        return commercial.credit_group_head_id or commercial

    def _overdue_facts(self, partners, company):
        """Overdue amount and days past due of the oldest overdue item, per
        commercial partner, net of the credit the partner has on account.

        Payments and credit notes not matched to invoices yet (open receivable
        lines with a negative residual) pay the oldest overdue items first
        (the rule of :func:`policy.net_overdue`); items left open up to the
        company's small-amount tolerance do not make the oldest overdue age.
        Read from :meth:`_open_item_facts`, the one pass over the open items
        that the receivables share.

        :return: ``({partner id: amount}, {partner id: days})``
        """
        today = fields.Date.context_today(self)
        amounts, oldest = {}, {}
        for partner_id, facts in self._open_item_facts(partners, company).items():
            if facts["overdue_due"] is None and not facts["overdue_amount"]:
                continue
            amounts[partner_id] = company.currency_id.round(facts["overdue_amount"])
            oldest[partner_id] = (today - facts["overdue_due"]).days if facts["overdue_due"] else 0
        return amounts, oldest

    def _oldest_open_dates(self, partners, company):
        """Invoice date of the oldest open item above the small-amount
        tolerance, per commercial partner with one: read from
        :meth:`_open_item_facts`, the one pass over the open items.

        :return: ``{partner id: date}``
        """
        return {
            partner_id: facts["oldest_open_date"]
            for partner_id, facts in self._open_item_facts(partners, company).items()
            if facts["oldest_open_date"]
        }

    def _open_item_facts(self, partners, company):
        """Open receivables and net overdue facts per commercial partner of
        ``partners``, in one pass over their open posted receivable lines
        (index-only on the partial index ``account_move_line_credit_policy_open_items_idx``).

        The overdue items (per due date and entry, oldest first) are netted in
        SQL with the credit on account the way :func:`policy.net_overdue`
        nets them: item *i* of open amount *a* and running total *S* keeps
        ``max(min(a, S - credit), 0)`` open; kept amounts under half the
        currency's rounding are settled; the oldest due date among the kept
        items above the tolerance makes the age. Memoized for the duration of
        one figures computation (:class:`FiguresBatch`), so the receivable
        component and the overdue facts share the query.

        The same pass reads the invoice date of the oldest open item above
        the small-amount tolerance (a grade's maximum payment days).

        :return: ``{partner id: {"receivable", "overdue_amount", "overdue_due",
            "oldest_open_date"}}``
        """
        partners = partners.commercial_partner_id
        if not partners:
            return {}
        today = fields.Date.context_today(self)
        # The pass reads only journal items, accounts, partners and companies:
        # a delivery or an order confirmed since the last computation does not
        # change it, so the status refresh at commit reuses it.
        return self._reused(
            company,
            ("open_items", tuple(sorted(partners.ids)), company.id, today),
            OPEN_ITEM_TABLES,
            lambda: self._read_open_item_facts(partners, company, today),
        )

    def _read_open_item_facts(self, partners, company, today):
        """The query of :meth:`_open_item_facts`, overdue meaning due before ``today``."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.partner, t.receivable, COALESCE(n.amount, 0), n.oldest_due, t.oldest_open
                  FROM (
                      -- one pass: the totals per partner, and its overdue
                      -- items (few, usually) gathered for the netting
                      SELECT p.commercial_partner_id AS partner,
                             SUM(aml.amount_residual) AS receivable,
                             COALESCE(-SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual < 0), 0) AS credit,
                             -- the invoice date of the oldest open item above
                             -- the tolerance (the grade's maximum payment days)
                             MIN(COALESCE(aml.invoice_date, aml.date))
                                 FILTER (WHERE aml.amount_residual > %(tolerance)s) AS oldest_open,
                             ARRAY_AGG((aml.date_maturity, aml.move_id, aml.amount_residual))
                                 FILTER (WHERE aml.amount_residual > 0 AND aml.date_maturity < %(today)s) AS overdue
                        %(open_items)s
                    GROUP BY p.commercial_partner_id
                  ) t
                  -- the overdue items per due date and entry, oldest first,
                  -- netted with the partner's credit on account; without any
                  -- (most customers) each keeps its amount: no running total
                  CROSS JOIN LATERAL (
                      SELECT SUM(kept) FILTER (WHERE kept >= %(half)s) AS amount,
                             MIN(due) FILTER (WHERE kept >= %(half)s AND kept > %(tolerance)s) AS oldest_due
                        FROM (
                            WITH items AS (
                                  SELECT due, entry, SUM(amount) AS amount
                                    FROM UNNEST(t.overdue) AS item(due date, entry integer, amount numeric)
                                GROUP BY due, entry
                            )
                            SELECT due, amount AS kept FROM items WHERE t.credit = 0
                             UNION ALL
                            SELECT due, %(kept)s FROM items WHERE t.credit != 0
                        ) netted
                  ) n
                """,
                today=today,
                open_items=self._sql_open_receivable_items(partners.ids, company),
                kept=self._sql_kept_open(SQL("amount"), SQL("due, entry"), SQL("t.credit")),
                half=company.currency_id.rounding / 2,
                tolerance=self._credit_area(company).credit_overdue_tolerance_amount or 0.0,
            )
        )
        return {
            partner_id: {
                "receivable": receivable or 0.0,
                "overdue_amount": overdue or 0.0,
                "overdue_due": due,
                "oldest_open_date": oldest_open,
            }
            for partner_id, receivable, overdue, due, oldest_open in rows
        }

    @api.model
    def _sql_kept_open(self, amount, order, credit, partition=None):
        """SQL: what an open item keeps open once its partner's credit on
        account (payments and credit notes not yet matched) has paid the items
        oldest first, the way :func:`policy.net_overdue` nets them: ``max(min(a,
        S - credit), 0)``, ``a`` the item's ``amount`` and ``S`` the running
        total of the items in ``order`` (per ``partition``) up to it. The one
        home of that rule in SQL."""
        window = SQL("ORDER BY %s ROWS UNBOUNDED PRECEDING", order)
        if partition is not None:
            window = SQL("PARTITION BY %s %s", partition, window)
        return SQL("GREATEST(LEAST(%s, SUM(%s) OVER (%s) - %s), 0)", amount, amount, window, credit)

    def _sql_open_receivable_items(self, partner_ids, company):
        """SQL ``FROM … WHERE``: the open posted receivable items ``aml`` of
        the commercial partners ``partner_ids`` (``p``, their contacts) in the
        credit area of ``company``. The one home of this selection, which the
        partial covering index on open items matches (``account.move.line``)."""
        return SQL(
            """
            FROM res_partner p
            JOIN account_move_line aml ON aml.partner_id = p.id
           WHERE p.commercial_partner_id IN %s
             AND aml.company_id IN %s
             AND aml.parent_state = 'posted'
             AND aml.reconciled IS NOT TRUE
             AND aml.amount_residual != 0
             -- the accounts read once (an InitPlan), then checked in the
             -- index's included column
             AND aml.account_id = ANY(ARRAY(
                 SELECT id FROM account_account WHERE account_type = 'asset_receivable'
             ))
            """,
            tuple(partner_ids),
            self._credit_area_company_ids(company),
        )

    def _netted_oldest_open_date(self, partner_ids, company):
        """Invoice date of the oldest open item of the commercial partners
        ``partner_ids`` once each partner's credit on account (payments and
        credit notes not yet matched) has paid its items oldest first, as the
        overdue facts are netted (:meth:`_open_item_facts`); items kept under
        the small-amount tolerance are paid. None when nothing stays open."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                WITH items AS (
                    SELECT p.commercial_partner_id AS partner,
                           COALESCE(aml.invoice_date, aml.date) AS day, aml.move_id AS entry,
                           SUM(aml.amount_residual) AS amount
                      %(open_items)s
                  GROUP BY p.commercial_partner_id, COALESCE(aml.invoice_date, aml.date), aml.move_id
                ), credit AS (
                    SELECT partner, -SUM(amount) AS credit FROM items WHERE amount < 0 GROUP BY partner
                )
                SELECT MIN(day)
                  FROM (
                      SELECT i.day, %(kept)s AS kept
                        FROM items i
                   LEFT JOIN credit c ON c.partner = i.partner
                       WHERE i.amount > 0
                  ) netted
                 WHERE kept >= %(half)s AND kept > %(tolerance)s
                """,
                open_items=self._sql_open_receivable_items(partner_ids, company),
                kept=self._sql_kept_open(
                    SQL("i.amount"), SQL("i.day, i.entry"), SQL("COALESCE(c.credit, 0)"), partition=SQL("i.partner")
                ),
                half=company.currency_id.rounding / 2,
                tolerance=self._credit_area(company).credit_overdue_tolerance_amount or 0.0,
            )
        )
        return rows[0][0]

    def _sql_temporary_limit_valid(self, company):
        """SQL condition on ``tl`` (a temporary limit): approved for credit
        area ``company`` and valid today."""
        today = fields.Date.context_today(self)
        return SQL(
            "tl.company_id IN %s AND tl.state = 'approved' AND tl.date_from <= %s AND tl.date_to >= %s",
            self._credit_area_company_ids(company), today, today,
        )

    def _temporary_limits(self, partners, company):
        """General temporary limits (for no particular document) per partner:
        what the customer's figures and status count. A temporary limit
        requested for an order or a delivery is that document's only (see
        :meth:`_document_temporary_limit_sql`)."""
        def read():
            partners.sudo().fetch(["credit_temporary_limit_granted"])
            granted = partners.sudo().filtered("credit_temporary_limit_granted")
            if not granted:
                return {}
            self.env.flush_all()
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT tl.partner_id, SUM(tl.amount)
                      FROM credit_policy_temporary_limit tl
                     WHERE %(valid)s
                       AND tl.partner_id IN %(partners)s
                       AND tl.order_id IS NULL
                       AND tl.picking_id IS NULL
                  GROUP BY tl.partner_id
                    """,
                    valid=self._sql_temporary_limit_valid(company),
                    partners=tuple(granted.ids),
                )
            )
            return dict(rows)

        return self._reused(
            company,
            ("temporary_limits", tuple(sorted(partners.ids)), company.id, fields.Date.context_today(self)),
            ("credit_policy_temporary_limit",),
            read,
        )

    @api.model
    def _document_temporary_limit_sql(self, account, company, orders, picking):
        """Scalar SQL query of the temporary limits of the credit account (its
        group included) granted for the documents being checked: the
        ``orders`` (a delivery checks the orders it ships, which the limit was
        granted for) or the delivery ``picking``. Counted in the effective
        limit of that check only (fact ``document_temporary_limit`` of
        :meth:`_get_check_fact_queries`), in company currency."""
        documents = []
        if orders:
            documents.append(SQL("tl.order_id IN %s", tuple(orders.ids)))
        if picking:
            documents.append(SQL("tl.picking_id = %s", picking.id))
        return SQL(
            """
            SELECT COALESCE(SUM(tl.amount), 0)
              FROM credit_policy_temporary_limit tl
             WHERE %(valid)s
               -- the head's and its members', archived ones included
               AND (tl.partner_id = %(account)s
                    OR tl.partner_id IN (SELECT id FROM res_partner WHERE credit_group_head_id = %(account)s))
               AND (%(documents)s)
            """,
            valid=self._sql_temporary_limit_valid(company),
            account=account.id,
            documents=SQL(" OR ").join(documents),
        )

    @api.model
    def _get_partner_exposure(self, partners, company):
        """Exposure per commercial partner of ``partners``, by component.

        :return: ``{partner id: {component code: amount}}`` in company currency
        """
        company = self._credit_area(company)
        partners = partners.commercial_partner_id
        result = {partner.id: {} for partner in partners}
        if not partners:
            return result
        if not isinstance(self.env.context.get(BATCH_KEY), FiguresBatch):
            self = self.with_context(**{BATCH_KEY: FiguresBatch()})
        for component in self._get_exposure_components():
            amounts = component.amounts(partners, company)
            for partner in partners:
                result[partner.id][component.code] = company.currency_id.round(
                    amounts.get(partner.id, 0.0)
                )
        return result

    @api.model
    def _get_figure_models(self):
        """Models whose records the credit figures and rules read.

        The figures of a credit account, and each evaluation, are computed
        once per transaction and reused by every caller (the prompt, the hard
        guard, the blocked list, the status snapshot …) as long as none of
        these models' tables was written in the transaction since: any
        insert, update or delete in them (PostgreSQL's per-transaction
        counters) computes them again. Extend (append model names) when a
        component, an extra figure, a check figure or a rule reads other data."""
        return [
            "account.account",
            "account.move",
            "account.move.line",
            "account.partial.reconcile",
            "account.payment.term",
            "account.payment.term.line",
            "credit.policy.crisis.level",
            "credit.policy.evaluation",
            "credit.policy.grade",
            "credit.policy.red.flag",
            "credit.policy.red.flag.type",
            "credit.policy.temporary.limit",
            "payment.transaction",
            "product.product",
            "product.template",
            "res.company",
            "res.currency.rate",
            "res.partner",
            "sale.order",
            "sale.order.line",
            "stock.location",
            "stock.move",
            "stock.move.line",
            "stock.picking",
            "uom.uom",
        ]

    @api.model
    def _get_checked_partner_fields(self):
        """The fields of the customer and its credit account that the
        figures, the check figures and the rules read (company-dependent ones
        mostly): fetched together, without the partner's other
        company-dependent fields (a price list's among them). Extend when a
        rule reads another one."""
        return [
            "credit_limit", "credit_on_hold", "credit_grade_id", "credit_watch",
            "credit_group_is_head", "credit_temporary_limit_granted",
        ]

    @api.model
    def _get_extra_figures(self, accounts, company):
        """Extra figures of credit ``accounts`` in credit area ``company``
        for the rules of other modules (e.g. ``dunning_stage``).

        Extend with ``res = super()…`` and merge your keys into it: called
        once per figures computation with all the accounts at once (compute
        set-based), its figures are memoized with the others. Declare the
        models they read in :meth:`_get_figure_models`.

        :return: ``{account id: {figure key: value}}``
        """
        return {}

    @tools.ormcache()
    def _figures_tables(self):
        """Tables of :meth:`_get_figure_models` (and their many2many tables);
        cached with the registry, which a module install or update rebuilds."""
        tables = set()
        for name in self._get_figure_models():
            model = self.env.get(name)
            if model is None or model._abstract or not model._auto:
                continue
            tables.add(model._table)
            for fld in model._fields.values():
                if fld.type == "many2many" and fld.store and fld.relation:
                    tables.add(fld.relation)
        return tuple(sorted(tables))

    def _figures_fingerprint(self):
        """What says the figures' data did not change in this transaction:
        the transaction's start and, per table of :meth:`_figures_tables`, the
        number of rows inserted, updated or deleted in it so far (pending ORM
        writes flushed first). None when PostgreSQL does not count them."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT NOW(), current_setting('track_counts')::boolean,
                       ARRAY(SELECT pg_stat_get_xact_tuples_inserted(t.oid)
                                    + pg_stat_get_xact_tuples_updated(t.oid)
                                    + pg_stat_get_xact_tuples_deleted(t.oid)
                               FROM unnest(%s::regclass[]) WITH ORDINALITY AS t(oid, n)
                           ORDER BY t.n)
                """,
                list(self._figures_tables()),
            )
        )
        started, counting, changes = rows[0]
        return (started, tuple(changes)) if counting else None

    def _fingerprint_of(self, fingerprint, tables):
        """The part of ``fingerprint`` that covers ``tables`` (names of tables
        of :meth:`_figures_tables`): a part of the figures reading only these
        is still valid when it is unchanged, whatever else was written."""
        if not fingerprint:
            return None
        started, changes = fingerprint
        index = {table: position for position, table in enumerate(self._figures_tables())}
        return started, tuple(changes[index[table]] for table in tables)

    def _in_batch(self, key, compute):
        """``compute()``, memoized under ``key`` for the duration of the
        figures computation under way (:class:`FiguresBatch`), if any."""
        batch = self.env.context.get(BATCH_KEY)
        if not isinstance(batch, FiguresBatch):
            return compute()
        if key not in batch.memo:
            batch.memo[key] = compute()
        return batch.memo[key]

    def _reused(self, company, key, tables, compute):
        """``compute()`` once per figures computation (:meth:`_in_batch`), and
        reused by the later computations of the transaction while none of
        ``tables`` (of :meth:`_figures_tables`), the only ones ``compute``
        reads, was written: a part of the figures that a delivery or an order
        does not change is not read again by the status refresh at commit."""
        batch = self.env.context.get(BATCH_KEY)
        fingerprint = self._fingerprint_of(batch.fingerprint if isinstance(batch, FiguresBatch) else None, tables)
        return self._in_batch(key, lambda: self._kept_or_computed(company, key, fingerprint, compute))

    def _kept_or_computed(self, company, key, fingerprint, compute):
        """The value kept under ``key`` with ``fingerprint`` (:meth:`_kept`),
        else ``compute()``, kept (:meth:`_keep`)."""
        kept = self._kept(company, key, fingerprint)
        if kept is not None:
            return kept
        return self._keep(company, key, fingerprint, compute())

    def _kept(self, company, key, fingerprint):
        """The value kept under ``key`` in the transaction's memo of credit
        area ``company`` (:meth:`_figures_memo`) if it was kept with this
        ``fingerprint``, else None."""
        hit = self._figures_memo(company).get(key) if fingerprint else None
        return hit[1] if hit and hit[0] == fingerprint else None

    def _keep(self, company, key, fingerprint, value):
        """Keep ``value`` under ``key`` for the rest of the transaction, valid
        while the data matches ``fingerprint`` (not kept without one)."""
        if fingerprint:
            self._figures_memo(company)[key] = (fingerprint, value)
        return value

    def _figures_memo(self, company):
        """The transaction's memo of credit area ``company``, ``{key:
        (fingerprint, value)}``: the figures of each credit account, the open
        items passes, the evaluations (see :meth:`_kept`). Kept in the ORM
        cache (``res.company.credit_figures_memo``), so that whatever clears
        it (a rollback, to a savepoint too, or an invalidation of the cache)
        drops the memo with it."""
        record = company.sudo()
        fld = record._fields["credit_figures_memo"]
        memo = self.env.cache.get(record, fld, None)
        if not isinstance(memo, dict):
            memo = {}
            self.env.cache.set(record, fld, memo)
        return memo

    @staticmethod
    def _copy_figures(figures):
        return dict(figures, components=dict(figures["components"]))

    @api.model
    def _get_credit_figures(self, accounts, company=None, fingerprint=READ_FINGERPRINT):
        """Figures of each credit account (group head or stand-alone customer).

        A head's exposure and overdue facts sum its members'; its limit is its own.
        Computed once per transaction for each account and reused while the
        data they read is unchanged (see :meth:`_get_figure_models`).

        :param fingerprint: the :meth:`_figures_fingerprint` the caller has
            just read (read here by default)
        :return: ``{account id: figures}`` (see :class:`policy.CreditCheckResult`)
        """
        company = self._credit_area(company or self.env.company)
        accounts = accounts.commercial_partner_id
        if fingerprint is READ_FINGERPRINT:
            fingerprint = self._figures_fingerprint()
        result = {}
        for account_id in accounts.ids:
            figures = self._kept(company, ("figures", account_id), fingerprint)
            if figures is not None:
                result[account_id] = self._copy_figures(figures)
        missing = accounts.filtered(lambda a: a.id not in result)
        if missing:
            computed = self.with_context(**{BATCH_KEY: FiguresBatch(fingerprint)})._compute_credit_figures(
                missing, company
            )
            for account_id, figures in computed.items():
                self._keep(company, ("figures", account_id), fingerprint, figures)
                result[account_id] = self._copy_figures(figures)
        return result

    @api.model
    def _compute_credit_figures(self, accounts, company):
        """Figures of credit ``accounts`` (commercial partners) in credit area
        ``company``, set-based: each component and fact is one query for all
        the accounts and their group members."""
        if not isinstance(self.env.context.get(BATCH_KEY), FiguresBatch):
            self = self.with_context(**{BATCH_KEY: FiguresBatch()})
        groups = self._credit_groups(accounts, company)
        involved = accounts.browse({partner_id for group in groups.values() for partner_id in group})
        exposure = self._get_partner_exposure(involved, company)
        overdue, oldest = self._overdue_facts(involved, company)
        oldest_open = self._oldest_open_dates(involved, company)
        # A member's approved temporary limit raises its group's effective limit.
        temporary = self._temporary_limits(involved, company)
        extra = self._get_extra_figures(accounts, company)
        result = {}
        accounts = accounts.sudo().with_company(company)
        accounts.fetch(self._get_checked_partner_fields())
        for account in accounts:
            group = groups[account.id]
            components = defaultdict(float)
            for partner_id in group:
                for code, amount in exposure[partner_id].items():
                    components[code] += amount
            result[account.id] = self._make_figures(
                company,
                limit=account.credit_limit,
                temporary_limit=sum(temporary.get(p, 0.0) for p in group),
                components=dict(components),
                overdue_amount=sum(overdue.get(p, 0.0) for p in group),
                oldest_overdue_days=max([oldest.get(p, 0) for p in group] or [0]),
                on_hold=account.credit_on_hold,
            )
            # the grade's maximum payment days count from the group's oldest open invoice
            result[account.id]["oldest_open_date"] = min(
                [oldest_open[p] for p in group if p in oldest_open], default=None
            )
            # who the account's figures sum, for the status rows they are written on
            result[account.id]["group_partner_ids"] = tuple(group)
            result[account.id].update(extra.get(account.id, {}))
        return result

    def _credit_groups(self, accounts, company):
        """The commercial partners whose figures make each credit account's:
        ``{account id: [account id, its members' commercial partner ids]}``,
        archived members included: archiving a member does not settle what it
        owes the group's limit."""
        def read():
            groups = {account.id: [account.id] for account in accounts}
            accounts.sudo().fetch(["credit_group_is_head"])
            heads = accounts.sudo().filtered("credit_group_is_head")
            if not heads:
                return groups
            members = self.env["res.partner"].sudo().with_context(active_test=False).search_fetch(
                [("credit_group_head_id", "in", heads.ids)], ["credit_group_head_id", "commercial_partner_id"]
            )
            for member in members:
                group = groups[member.credit_group_head_id.id]
                if member.commercial_partner_id.id not in group:
                    group.append(member.commercial_partner_id.id)
            return groups

        return self._reused(company, ("credit_groups", tuple(sorted(accounts.ids))), ("res_partner",), read)

    @api.model
    def _make_figures(self, company, limit, temporary_limit, components, overdue_amount,
                      oldest_overdue_days, on_hold, extra_amount=0.0):
        effective = policy.effective_limit(limit, [temporary_limit])
        exposure = company.currency_id.round(sum(components.values()) + extra_amount)
        band = policy.usage_band(
            exposure, effective, company.credit_warn_percent, company.credit_alert_percent,
            company.currency_id.rounding,
        )
        return {
            "limit": limit,
            "temporary_limit": temporary_limit,
            "effective_limit": effective,
            "exposure": exposure,
            "amount": extra_amount,
            "available": policy.available_credit(exposure, effective),
            "usage_percent": policy.usage_percent(exposure, effective),
            "receivable": components.get("receivable", 0.0),
            "overdue_amount": overdue_amount,
            "oldest_overdue_days": oldest_overdue_days,
            "prepayment_due": 0.0,
            "components": components,
            "band": band,
            "status": policy.credit_status(band, on_hold, effective, exposure),
            "on_hold": on_hold,
        }

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------

    @api.model
    def _evaluate(self, partner, company=None, amount=0.0, order=None, picking=None, earlier_amount=0.0,
                  earlier_own_amount=0.0, document_value=None, fingerprint=READ_FINGERPRINT):
        """Evaluate every credit rule for ``partner`` in ``company``.

        :param partner: any contact; its commercial entity (or credit group
            head) is checked
        :param amount: value in company currency of the document being checked
            that is not yet counted in the exposure (e.g. a quotation's total)
        :param earlier_amount: value of documents checked before this one in
            the same operation (orders confirmed together), not yet counted in
            the exposure either: it adds to the exposure, not to the document
        :param earlier_own_amount: the part of ``earlier_amount`` that is
            ``partner``'s own (for its sub-limit in a credit group)
        :param document_value: value of the whole document, counted in the
            exposure already or not (for a delivery: the orders it ships and
            its goods beyond them), for the rules of customers without a
            limit; ``amount`` by default (a quotation)
        :param order: the sale order(s) concerned, for the prepayment rule (a
            delivery passes the orders of the moves it ships)
        :param picking: the delivery concerned (its order is used when
            ``order`` is ``None``)
        :param fingerprint: the :meth:`_figures_fingerprint` the caller has
            just read (read here by default)
        :return: :class:`policy.CreditCheckResult`
        """
        company = company or (order and order.company_id[:1]) or (picking and picking.company_id) \
            or self.env.company
        company = self._credit_area(company)
        if order is None:
            order = picking.sale_id if picking else self.env["sale.order"]
        partner = partner.sudo().with_company(company)
        # usually the commercial partner itself: one query for what is read of it
        partner.fetch(["commercial_partner_id", "credit_group_head_id"] + self._get_checked_partner_fields())
        commercial = partner.commercial_partner_id
        # The prompt and the hard guard of one validation evaluate the same
        # delivery: the second one reuses the first while nothing it reads
        # changed (see :meth:`_get_figure_models`).
        if fingerprint is READ_FINGERPRINT:
            fingerprint = self._figures_fingerprint()
        document_value = amount if document_value is None else document_value
        key = (
            "evaluation", commercial.id, amount, earlier_amount, earlier_own_amount, document_value,
            tuple(sorted(order.ids)), picking.id if picking else False, self.env.lang,
        )
        result = self._kept_or_computed(
            company, key, fingerprint,
            lambda: self._evaluate_rules(
                commercial, company, (amount, document_value), order, picking, (earlier_amount, earlier_own_amount),
                fingerprint,
            ),
        )
        return self._copy_result(result)

    @staticmethod
    def _copy_result(result):
        return dataclasses.replace(
            result, figures=CreditPolicyCheck._copy_figures(result.figures), failures=list(result.failures)
        )

    def _evaluate_rules(self, commercial, company, document, order, picking, earlier, fingerprint):
        """Evaluate every credit rule (see :meth:`_evaluate`) for commercial
        partner ``commercial`` in credit area ``company``, the figures read
        with ``fingerprint``, ``document`` being ``(amount, document_value)``
        and ``earlier`` ``(earlier_amount, earlier_own_amount)``."""
        amount, document_value = document
        earlier_amount, earlier_own_amount = earlier
        commercial.fetch(["commercial_partner_id", "credit_group_head_id"])
        account = self._get_credit_account(commercial)
        (commercial | account).fetch(self._get_checked_partner_fields())
        account_figures = self._get_credit_figures(account, company, fingerprint)[account.id]
        facts = self._read_check_facts(commercial, account, company, order, picking)
        document_limit = facts.pop("document_temporary_limit", 0.0)
        figures = self._make_figures(
            company,
            limit=account_figures["limit"],
            temporary_limit=account_figures["temporary_limit"] + document_limit,
            components=account_figures["components"],
            overdue_amount=account_figures["overdue_amount"],
            oldest_overdue_days=account_figures["oldest_overdue_days"],
            on_hold=account_figures["on_hold"] or commercial.credit_on_hold,
            extra_amount=amount + earlier_amount,
        )
        # Figures of other modules (_get_extra_figures) come along.
        for key, value in account_figures.items():
            figures.setdefault(key, value)
        member_figures = {}
        if account != commercial and commercial.credit_limit > 0:
            own = self._get_partner_exposure(commercial, company)[commercial.id]
            member_figures = {
                # its own approved temporary limits, and those granted for
                # the document checked, raise its sub-limit as the group's
                "limit": policy.effective_limit(
                    commercial.credit_limit,
                    [self._temporary_limits(commercial, company).get(commercial.id, 0.0),
                     document_limit],
                ),
                "exposure": company.currency_id.round(sum(own.values()) + amount + earlier_own_amount),
            }
        figures["prepayment_due"] = self._prepayment_due(commercial, account, order, company)
        figures.update(facts)
        figures.update(self._get_check_figures(commercial, account, company))
        rule_input = CreditRuleInput(
            partner=commercial,
            account=account,
            company=company,
            amount=amount,
            document_value=document_value,
            order=order,
            picking=picking or self.env["stock.picking"],
            figures=figures,
            member_figures=member_figures,
        )
        failures = [
            failure for rule in self._get_credit_rules() if (failure := rule(rule_input))
        ]
        return policy.CreditCheckResult(
            partner_id=commercial.id,
            company_id=company.id,
            figures=figures,
            failures=failures,
            account_partner_id=account.id,
        )

    def _prepayment_percent(self, partner, account, company):
        """Share of each order ``partner`` pays before delivery: its grade's
        (else its credit account's), at least the company's watch share while
        the customer or its credit account is on watch (POLICY.md §2)."""
        grade = partner.credit_grade_id or account.credit_grade_id
        return policy.required_prepayment_percent(
            grade.prepayment_percent,
            partner.credit_watch or account.credit_watch,
            company.credit_watch_prepayment_percent,
        )

    def _prepayment_due(self, partner, account, orders, company):
        """Required prepayment of ``orders`` not yet received, in company currency
        (the sum over the orders)."""
        percent = self._prepayment_percent(partner, account, company) if orders else 0.0
        if not percent:
            return 0.0
        today = fields.Date.context_today(self)
        orders = orders.sudo()
        received = self._orders_received(orders, company)
        return sum(
            order.currency_id._convert(
                policy.prepayment_due(order.amount_total, percent, received[order.id]),
                company.currency_id,
                company,
                today,
            )
            for order in orders
        )

    @api.model
    def _order_received(self, order, company, outside_receivables=False):
        """What the customer already paid for ``order``, in the order's currency
        (see :meth:`_orders_received`)."""
        return self._orders_received(order, company, outside_receivables)[order.id] if order else 0.0

    @api.model
    def _orders_received(self, orders, company, outside_receivables=False):
        """Money actually received for each of ``orders``, in the order's currency.

        Received = payments and bank statement lines reconciled with the order's
        customer invoices (down payment invoices included), less those
        reconciled with its credit notes (money paid back), plus online
        payments authorized or done and not invoiced yet. A credit note
        reconciled with an invoice moves no money: it cancels the invoice and
        counts nothing. An invoice shared by several orders is allocated to
        each order by the share of its lines invoicing that order's lines.
        One query over the reconciliations of all ``orders``.

        :param outside_receivables: only the money the open receivables do not
            count yet: an online payment already posted is credit on account
            there (it lowers the exposure), left out then
        :return: ``{order id: amount}`` (every order of ``orders`` present)
        """
        orders = orders.sudo().filtered("id")
        result = defaultdict(float)
        if not orders:
            return result
        self.env.flush_all()
        # Most orders checked are quotations with neither invoice nor online
        # payment: one cheap query spares them the planning of the big one.
        orders = orders.browse(
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT sol.order_id
                      FROM sale_order_line sol
                      JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                     WHERE sol.order_id IN %(orders)s
                     UNION
                    SELECT sale_order_id FROM sale_order_transaction_rel WHERE sale_order_id IN %(orders)s
                    """,
                    orders=tuple(orders.ids),
                )
            )
        )
        if not orders:
            return result
        rows = self.env.execute_query(
            SQL(
                """
                WITH order_share AS (
                    -- each posted invoice or credit note of the orders, with
                    -- the share of its total invoicing each order's lines
                    SELECT am.id AS move_id, lo.order_id, am.currency_id,
                           SUM(aml.price_total) / am.amount_total AS share
                      FROM (SELECT DISTINCT rel.invoice_line_id, sol.order_id
                              FROM sale_order_line_invoice_rel rel
                              JOIN sale_order_line sol ON sol.id = rel.order_line_id
                             WHERE sol.order_id IN %(orders)s) lo
                      JOIN account_move_line aml ON aml.id = lo.invoice_line_id
                      JOIN account_move am ON am.id = aml.move_id
                     WHERE am.state = 'posted'
                       AND am.move_type IN ('out_invoice', 'out_refund')
                       AND am.amount_total != 0
                  GROUP BY am.id, lo.order_id, am.currency_id, am.amount_total
                ),
                money AS (
                    -- money moved on each of these invoices and credit notes:
                    -- its receivable lines' reconciliations with payments
                    -- and bank statement lines, in the document's currency
                    SELECT rl.move_id,
                           SUM(CASE WHEN apr.debit_move_id = rl.id THEN apr.debit_amount_currency
                                    ELSE -apr.credit_amount_currency END) AS amount
                      FROM account_move_line rl
                      JOIN account_account acc ON acc.id = rl.account_id
                      JOIN account_partial_reconcile apr
                        ON apr.debit_move_id = rl.id OR apr.credit_move_id = rl.id
                      JOIN account_move_line cl
                        ON cl.id = CASE WHEN apr.debit_move_id = rl.id THEN apr.credit_move_id
                                        ELSE apr.debit_move_id END
                      JOIN account_move cm ON cm.id = cl.move_id
                     WHERE rl.move_id IN (SELECT move_id FROM order_share)
                       AND acc.account_type = 'asset_receivable'
                       AND (cm.origin_payment_id IS NOT NULL OR cm.statement_line_id IS NOT NULL)
                  GROUP BY rl.move_id
                )
                SELECT os.order_id, os.currency_id, SUM(os.share * money.amount)
                  FROM order_share os
                  JOIN money ON money.move_id = os.move_id
              GROUP BY os.order_id, os.currency_id
                """,
                orders=tuple(orders.ids),
            )
        )
        today = fields.Date.context_today(self)
        currencies = self.env["res.currency"].browse({row[1] for row in rows})
        for order_id, currency_id, amount in rows:
            order = orders.browse(order_id)
            result[order_id] += currencies.browse(currency_id)._convert(
                amount or 0.0, order.currency_id, company, today
            )
        transactions = self.env["payment.transaction"].sudo().search(
            [
                ("sale_order_ids", "in", orders.ids),
                ("state", "in", ("authorized", "done")),
                ("invoice_ids", "=", False),
            ]
        )
        if outside_receivables:
            transactions = transactions.filtered(lambda tx: tx.payment_id.move_id.state != "posted")
        for tx in transactions:
            for order in tx.sale_order_ids & orders:
                result[order.id] += tx.currency_id._convert(tx.amount, order.currency_id, company, today)
        return result

    def _format(self, company, amount):
        return format_amount(self.env, amount, company.currency_id)

    def _rule_credit_hold(self, data):
        if data.figures["on_hold"]:
            return policy.RuleFailure(
                "credit_hold",
                self.env._("%(partner)s is on credit hold.", partner=data.partner.display_name),
            )
        return None

    def _rule_effective_limit(self, data):
        fig = data.figures
        if policy.exceeds_effective_limit(fig["exposure"], fig["effective_limit"], data.company.currency_id.rounding):
            return policy.RuleFailure(
                "over_limit",
                self.env._(
                    "Exposure %(exposure)s exceeds the effective credit limit %(limit)s "
                    "of %(partner)s by %(excess)s.",
                    exposure=self._format(data.company, fig["exposure"]),
                    limit=self._format(data.company, fig["effective_limit"]),
                    partner=data.account.display_name,
                    excess=self._format(data.company, -fig["available"]),
                ),
                {
                    "exposure": fig["exposure"],
                    "effective_limit": fig["effective_limit"],
                    "shortfall": policy.temporary_limit_shortfall(
                        fig["exposure"], fig["effective_limit"]
                    ),
                },
            )
        return None

    def _rule_sub_limit(self, data):
        member = data.member_figures
        if member and policy.exceeds_sub_limit(member["exposure"], member["limit"], data.company.currency_id.rounding):
            return policy.RuleFailure(
                "over_sub_limit",
                self.env._(
                    "Exposure %(exposure)s of %(partner)s exceeds its own credit limit "
                    "%(limit)s within the credit group of %(head)s.",
                    exposure=self._format(data.company, member["exposure"]),
                    partner=data.partner.display_name,
                    limit=self._format(data.company, member["limit"]),
                    head=data.account.display_name,
                ),
                dict(member),
            )
        return None

    def _rule_new_customer_max_order(self, data):
        max_order = data.company.credit_new_customer_max_order
        granted = policy.credit_granted(data.document_value, data.figures["exposure"])
        if data.company.credit_no_limit_mode == "cash" and policy.new_customer_order_exceeded(
            data.figures["effective_limit"], granted, max_order
        ):
            return policy.RuleFailure(
                "new_customer_max_order",
                self.env._(
                    "%(partner)s has no credit limit: credit above %(max)s needs a credit "
                    "limit (this document is %(amount)s).",
                    partner=data.partner.display_name,
                    max=self._format(data.company, max_order),
                    amount=self._format(data.company, granted),
                ),
                {"amount": granted, "max_order": max_order},
            )
        return None

    def _rule_debt_without_limit(self, data):
        fig = data.figures
        granted = policy.credit_granted(data.document_value, fig["exposure"])
        # the exposure counts the document's goods, through their order or not
        debt = data.company.currency_id.round(fig["exposure"] - granted)
        if data.company.credit_no_limit_mode == "cash" and policy.debt_without_limit_grows(
            fig["effective_limit"], debt, granted
        ):
            return policy.RuleFailure(
                "debt_without_limit",
                self.env._(
                    "%(partner)s has no credit limit and still owes %(debt)s (invoices, deliveries "
                    "and orders): no new credit before that debt is settled (this document is %(amount)s).",
                    partner=data.partner.display_name,
                    debt=self._format(data.company, debt),
                    amount=self._format(data.company, granted),
                ),
                {"debt": debt, "amount": granted},
            )
        return None

    def _rule_overdue_share(self, data):
        fig = data.figures
        company = data.company
        if policy.overdue_share_exceeded(
            fig["overdue_amount"],
            fig["receivable"],
            company.credit_max_overdue_percent,
            company.credit_overdue_tolerance_amount,
            company.currency_id.rounding,
        ):
            return policy.RuleFailure(
                "overdue_share",
                self.env._(
                    "Overdue amount %(overdue)s is more than %(percent)s%% of the open "
                    "receivables %(receivable)s.",
                    overdue=self._format(company, fig["overdue_amount"]),
                    percent=company.credit_max_overdue_percent,
                    receivable=self._format(company, fig["receivable"]),
                ),
                {"overdue_amount": fig["overdue_amount"], "receivable": fig["receivable"]},
            )
        return None

    def _rule_overdue_days(self, data):
        days = data.figures["oldest_overdue_days"]
        max_days = data.company.credit_max_overdue_days
        if policy.overdue_days_exceeded(days, max_days):
            return policy.RuleFailure(
                "overdue_days",
                self.env._(
                    "The oldest overdue invoice is %(days)s days past due (at most %(max)s allowed).",
                    days=days,
                    max=max_days,
                ),
                {"oldest_overdue_days": days, "max_days": max_days},
            )
        return None

    def _rule_payment_days(self, data):
        """The grade's maximum actual payment days (POLICY.md §2, seed 000: D
        never exceeds 60): an open invoice older than that, counted from its
        invoice date like the overdue days from the due date, blocks as
        overdue items do."""
        grade = data.partner.credit_grade_id or data.account.credit_grade_id
        max_days = grade.max_payment_days
        today = fields.Date.context_today(self)
        oldest = data.figures.get("oldest_open_date")
        days = policy.payment_days(oldest, today)
        if policy.payment_days_exceeded(days, max_days):
            # The one pass gives the oldest open item. Payments and credit
            # notes not yet matched pay the oldest items first, which can only
            # make the oldest open one younger: net them, for a cap broken only.
            oldest = self._netted_oldest_open_date(data.figures["group_partner_ids"], data.company)
            days = policy.payment_days(oldest, today)
        if policy.payment_days_exceeded(days, max_days):
            return policy.RuleFailure(
                "payment_days",
                self.env._(
                    "The oldest open invoice, dated %(date)s, is open for %(days)s days: grade %(grade)s "
                    "allows at most %(max)s days from the invoice date to payment.",
                    date=format_date(self.env, oldest),
                    days=days,
                    grade=grade.code,
                    max=max_days,
                ),
                {"payment_days": days, "max_payment_days": max_days},
            )
        return None

    def _rule_prepayment(self, data):
        """The grade's prepayment share, or the watch share while the customer
        is on watch, is due *before delivery* (POLICY.md §2, §4).

        Down payment invoices exist only for confirmed orders, so the rule
        checks at delivery; at order entry the due prepayment is shown only
        (``figures["prepayment_due"]``).
        """
        due = data.figures["prepayment_due"]
        if data.picking and due > 0:
            return policy.RuleFailure(
                "prepayment",
                self.env._(
                    "The required prepayment of %(order)s is not received yet: %(due)s missing.",
                    order=", ".join(data.order.mapped("name")),
                    due=self._format(data.company, due),
                ),
                {"prepayment_due": due},
            )
        return None

    @api.model
    def _pending_red_flags_domain(self, partners, company):
        """Red flags of ``partners`` whose re-evaluation is still open, set in
        the credit control area of ``company`` (its root or a branch)."""
        return [
            ("partner_id", "in", partners.ids),
            ("company_id", "in", self._credit_area_company_ids(company)),
            ("evaluation_id.state", "in", ("draft", "to_approve")),
        ]

    def _rule_red_flag_pending(self, data):
        """A red flag acts at once (POLICY.md §1, §3): until the re-evaluation
        it opened is approved or cancelled, order confirmations and deliveries
        of the customer (or of its credit group, for a flag on the head) wait
        (company setting ``credit_red_flag_hold``)."""
        if not data.company.credit_red_flag_hold or not data.figures.get("red_flag_pending"):
            return None
        flags = self.env["credit.policy.red.flag"].sudo().search(
            self._pending_red_flags_domain(data.partner | data.account, data.company)
        )
        reviews = flags.evaluation_id
        if not policy.red_flag_review_pending(data.company.credit_red_flag_hold, reviews):
            return None
        review = reviews.sorted(lambda e: (e.deadline or fields.Datetime.now(), e.id))[:1]
        return policy.RuleFailure(
            "red_flag_pending",
            self.env._(
                "%(partner)s has a red flag (%(flags)s) awaiting its re-evaluation %(evaluation)s, due "
                "%(deadline)s: order confirmations and deliveries are held until a credit manager "
                "approves or cancels it.",
                partner=data.partner.display_name,
                flags=", ".join(flags.type_id.mapped("name")),
                evaluation=review.name,
                deadline=format_datetime(self.env, review.deadline) if review.deadline else "-",
            ),
            {"evaluation_ids": reviews.ids, "red_flag_ids": flags.ids},
        )

    def _rule_crisis_shipping(self, data):
        """At delivery, the crisis response level (POLICY.md §5, seed 000 H):
        level 1 needs a Credit Controller's release of each delivery, level 2
        a Credit Manager's, level 3 stops shipping (a Credit Manager's release)."""
        level = data.figures.get("crisis_level", 0)
        if not data.picking or not level:
            return None
        if level >= 3:
            code = policy.CRISIS_STOP_CODE
            message = self.env._(
                "Shipping to %(partner)s is stopped (crisis response level 3): only a Credit Manager may "
                "release this delivery.",
                partner=data.partner.display_name,
            )
        elif level == 2:
            code = policy.CRISIS_MANAGER_CODE
            message = self.env._(
                "%(partner)s is at crisis response level 2: each delivery needs a Credit Manager's release.",
                partner=data.partner.display_name,
            )
        else:
            code = policy.CRISIS_RESTRICT_CODE
            message = self.env._(
                "Shipping to %(partner)s is restricted (crisis response level 1): each delivery needs a "
                "Credit Controller's release.",
                partner=data.partner.display_name,
            )
        return policy.RuleFailure(code, message, {"crisis_level": level})

    def _rule_crisis_new_orders(self, data):
        """At order confirmation: crisis response level 3 blocks new orders."""
        level = data.figures.get("crisis_level", 0)
        if data.picking or level < 3:
            return None
        return policy.RuleFailure(
            policy.CRISIS_ORDERS_CODE,
            self.env._(
                "%(partner)s is at crisis response level 3 (stop shipping, litigation prepared): no new orders.",
                partner=data.partner.display_name,
            ),
            {"crisis_level": level},
        )

    @api.model
    def _credit_term_grant(self, partner, account, company):
        """The credit term the customer's documents must respect, or None when
        none applies: the customer's own grant (grade, limit or term), else its
        credit group head's. Customers without any grant are governed by the
        rules for customers without a limit.

        :return: ``(allowed days, granted days, grade, holder)``; the allowed
            days are the granted term bounded by the grade's maximum term
        """
        for holder in (partner, account):
            holder = holder.sudo().with_company(company)
            if holder.credit_grade_id or holder.credit_limit > 0 or holder.credit_term_days > 0:
                grade = holder.credit_grade_id
                allowed = policy.allowed_term_days(
                    holder.credit_term_days, grade.max_term_days if grade else None
                )
                return allowed, holder.credit_term_days, grade, holder
        return None

    @api.model
    def _payment_term_failure(self, partner, account, company, documents):
        """The credit term is a limit too (POLICY.md §2; 000): a document whose
        payment terms give more days than the customer's allowed term fails.

        :param documents: ``(document name, days its payment terms give)`` pairs
        :return: :class:`policy.RuleFailure` or None
        """
        grant = self._credit_term_grant(partner, account, company)
        if not grant:
            return None
        allowed, granted, grade, holder = grant
        late = [(name, days) for name, days in documents if policy.payment_term_exceeded(days, allowed)]
        if not late:
            return None
        messages = []
        for name, days in late:
            if grade and allowed < granted:
                messages.append(
                    self.env._(
                        "%(document)s gives %(days)s days to pay: grade %(grade)s of %(partner)s allows "
                        "at most %(allowed)s days (granted term %(granted)s days).",
                        document=name,
                        days=days,
                        grade=grade.code,
                        partner=holder.display_name,
                        allowed=allowed,
                        granted=granted,
                    )
                )
            else:
                messages.append(
                    self.env._(
                        "%(document)s gives %(days)s days to pay, more than the credit term of "
                        "%(allowed)s days granted to %(partner)s.",
                        document=name,
                        days=days,
                        allowed=allowed,
                        partner=holder.display_name,
                    )
                )
        return policy.RuleFailure(
            "payment_term",
            "\n".join(messages),
            {"term_days": max(days for _name, days in late), "allowed_days": allowed},
        )

    def _rule_payment_term(self, data):
        """Orders being confirmed or shipped may not give more days to pay than
        the customer's credit term (invoices: ``account.move._post``)."""
        orders = (data.order or self.env["sale.order"]).sudo()
        documents = [
            (order.name, order.payment_term_id._credit_policy_term_days(order.date_order))
            for order in orders
            if order.payment_term_id
        ]
        if not documents:
            return None
        return self._payment_term_failure(data.partner, data.account, data.company, documents)

    # ------------------------------------------------------------------
    # Serialisation and status snapshot
    # ------------------------------------------------------------------

    @api.model
    def _lock_credit_account(self, partner, company=None):
        """Lock the credit status row of the partner's credit account.

        Two checks for the same customer then run one after the other, so that
        both cannot pass on the same available credit, the second one seeing
        the first. The row is created when missing, race-safe (one upsert).
        """
        company = self._credit_area(company or self.env.company)
        account = self._get_credit_account(partner.sudo())
        status = self.env["credit.policy.status"]
        status.flush_model()
        # An upsert that always writes the row, not a mere SELECT FOR UPDATE: a
        # concurrent check waiting for this row then fails with a serialization
        # error when this transaction commits and is retried on a fresh
        # snapshot that sees what this one did (under repeatable read it would
        # otherwise keep its old snapshot).
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO credit_policy_status
                       (partner_id, company_id, band, status, escalated_band,
                        create_uid, write_uid, create_date, write_date)
                VALUES (%(partner)s, %(company)s, 'ok', 'ok', 'ok',
                        %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (partner_id, company_id) DO UPDATE SET write_date = EXCLUDED.write_date
                RETURNING id
                """,
                partner=account.id,
                company=company.id,
                uid=self.env.uid,
            )
        )
        return status.sudo().browse(rows[0][0])
