from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from odoo.addons.credit_policy import policy

#: One part of the exposure (POLICY.md §4). ``amounts(partners, company)``
#: returns ``{commercial partner id: amount in company currency}``;
#: ``domain(partners, company)`` returns ``(model, domain)`` of the documents
#: behind the amount, for the smart buttons.
ExposureComponent = namedtuple("ExposureComponent", "code name amounts domain")


@dataclass
class CreditRuleInput:
    """What a credit rule looks at: the customer, the document and the figures."""

    partner: object  # commercial partner checked
    account: object  # partner holding the limit (group head or itself)
    company: object
    amount: float  # company currency, not yet counted in the exposure
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
            self._rule_prepayment,
        ]

    @api.model
    def _get_extra_figures(self, partner, account, company):
        """Figures other addons add to a credit check, before the rules run.

        Extend to return more keys (call super and update its result); the
        rules read them from ``data.figures`` and the delivery block records
        the plain values in its snapshot. The dunning addon fills
        ``dunning_stage`` (shown in the blocked list and the prompt).

        :param partner: the commercial partner checked (sudo, in ``company``)
        :param account: the partner holding its credit limit
        :return: ``{figure name: value}``
        """
        return {"dunning_stage": False}

    # ------------------------------------------------------------------
    # Exposure components (set-based; amounts in company currency)
    # ------------------------------------------------------------------

    def _receivable_line_domain(self, partners, company):
        return [
            ("company_id", "=", company.id),
            ("partner_id.commercial_partner_id", "in", partners.ids),
            ("account_type", "=", "asset_receivable"),
        ]

    def _sum_by_commercial_partner(self, model, domain, aggregate):
        rows = self.env[model].sudo()._read_group(domain, ["partner_id"], [aggregate])
        result = defaultdict(float)
        for partner, amount in rows:
            result[partner.commercial_partner_id.id] += amount or 0.0
        return result

    def _exposure_open_receivables(self, partners, company):
        """Posted, unreconciled receivable lines (payments on account reduce them)."""
        model, domain = self._domain_open_receivables(partners, company)
        return self._sum_by_commercial_partner(model, domain, "amount_residual:sum")

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
            ("company_id", "=", company.id),
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

    def _sql_line_due_within_horizon(self, company):
        """SQL condition: order line ``sol`` of order ``so`` is due within the horizon.

        The one home of the open-order horizon (POLICY.md §4): a line is due at
        the order's commitment date, else at the order date plus the line's lead
        time. Open orders, the down payments taken off them and the delivery
        block all use this rule. Without a horizon every line is due.
        """
        if not company.credit_exposure_horizon_days:
            return SQL("TRUE")
        until = fields.Datetime.now() + timedelta(days=company.credit_exposure_horizon_days)
        return SQL(
            "COALESCE(so.commitment_date, so.date_order + sol.customer_lead * interval '1 day') <= %s",
            until,
        )

    @api.model
    def _order_lines_due_within_horizon(self, lines, company):
        """The confirmed order ``lines`` counted as open order (due within the horizon)."""
        lines = lines.filtered("id")
        if not lines:
            return lines
        self.env["sale.order.line"].flush_model()
        self.env["sale.order"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT sol.id
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE sol.id IN %(lines)s
                   AND so.state = 'sale'
                   AND %(due)s
                """,
                lines=tuple(lines.ids),
                due=self._sql_line_due_within_horizon(company),
            )
        )
        return lines.browse([row[0] for row in rows])

    def _order_line_query(self, partners, company, value_sql, horizon=False):
        """Per (commercial partner, currency) sum of ``value_sql`` over confirmed order lines."""
        self.env["sale.order.line"].flush_model()
        self.env["sale.order"].flush_model()
        horizon_sql = self._sql_line_due_within_horizon(company) if horizon else SQL("TRUE")
        return self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, so.currency_id, SUM(%(value)s)
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner p ON p.id = so.partner_invoice_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND p.commercial_partner_id IN %(partners)s
                   AND sol.display_type IS NULL
                   AND NOT COALESCE(sol.is_downpayment, FALSE)
                   AND %(horizon)s
              GROUP BY p.commercial_partner_id, so.currency_id
                """,
                value=value_sql,
                company=company.id,
                partners=tuple(partners.ids),
                horizon=horizon_sql,
            )
        )

    def _exposure_delivered_uninvoiced(self, partners, company):
        """Delivered quantities not yet invoiced, at the line's unit price incl. taxes."""
        rows = self._order_line_query(
            partners,
            company,
            SQL("GREATEST(sol.qty_delivered - sol.qty_invoiced, 0) * sol.price_reduce_taxinc"),
        )
        return self._convert_grouped(rows, company)

    def _exposure_open_orders(self, partners, company):
        """Ordered quantities neither delivered nor invoiced, due within the horizon.

        What was invoiced ahead of delivery is a receivable already, hence
        ``ordered - max(delivered, invoiced)``.
        """
        rows = self._order_line_query(
            partners,
            company,
            SQL(
                "GREATEST(sol.product_uom_qty - GREATEST(sol.qty_delivered, sol.qty_invoiced), 0)"
                " * sol.price_reduce_taxinc"
            ),
            horizon=True,
        )
        return self._convert_grouped(rows, company)

    def _exposure_down_payments(self, partners, company):
        """Down payments invoiced on open orders and not yet deducted (negative).

        The order's full value still counts as open order while its down payment
        invoice is a receivable; this component takes the down payment off once,
        until the final invoice deducts it. Only orders the exposure counts
        through their lines qualify (a line due within the horizon, or delivered
        and not invoiced): taking a down payment off an order that is not
        counted would understate the exposure.
        """
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["sale.order.line"].flush_model()
        self.env["sale.order"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, am.currency_id,
                       -SUM(CASE WHEN am.move_type = 'out_refund' THEN -aml.price_total
                                 ELSE aml.price_total END)
                  FROM sale_order_line_invoice_rel rel
                  JOIN sale_order_line dp ON dp.id = rel.order_line_id
                  JOIN sale_order so ON so.id = dp.order_id
                  JOIN res_partner p ON p.id = so.partner_invoice_id
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE dp.is_downpayment
                   AND so.state = 'sale'
                   AND am.state != 'cancel'
                   AND so.company_id = %(company)s
                   AND p.commercial_partner_id IN %(partners)s
                   AND EXISTS (
                       SELECT 1
                         FROM sale_order_line sol
                        WHERE sol.order_id = so.id
                          AND sol.display_type IS NULL
                          AND NOT COALESCE(sol.is_downpayment, FALSE)
                          AND (%(due)s OR sol.qty_delivered > sol.qty_invoiced)
                   )
              GROUP BY p.commercial_partner_id, am.currency_id
                """,
                company=company.id,
                partners=tuple(partners.ids),
                due=self._sql_line_due_within_horizon(company),
            )
        )
        return self._convert_grouped(rows, company)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _get_credit_account(self, partner):
        """Partner holding the limit: the credit group head, or the commercial partner."""
        commercial = partner.commercial_partner_id
        return commercial.credit_group_head_id or commercial

    def _overdue_facts(self, partners, company):
        """Overdue amount and oldest due date above the small-amount tolerance, per partner."""
        today = fields.Date.context_today(self)
        model, domain = self._domain_open_receivables(partners, company)
        overdue_domain = domain + [("date_maturity", "<", today), ("amount_residual", ">", 0)]
        amounts = self._sum_by_commercial_partner(model, overdue_domain, "amount_residual:sum")
        oldest = {}
        tolerance_domain = overdue_domain + [
            ("amount_residual", ">", company.credit_overdue_tolerance_amount or 0.0)
        ]
        rows = self.env[model].sudo()._read_group(
            tolerance_domain, ["partner_id"], ["date_maturity:min"]
        )
        for partner, date_maturity in rows:
            days = (today - date_maturity).days
            key = partner.commercial_partner_id.id
            oldest[key] = max(oldest.get(key, 0), days)
        return amounts, oldest

    def _temporary_limits(self, partners, company):
        today = fields.Date.context_today(self)
        rows = self.env["credit.policy.temporary.limit"].sudo()._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("state", "=", "approved"),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
            ],
            ["partner_id"],
            ["amount:sum"],
        )
        return {partner.id: amount for partner, amount in rows}

    @api.model
    def _get_partner_exposure(self, partners, company):
        """Exposure per commercial partner of ``partners``, by component.

        :return: ``{partner id: {component code: amount}}`` in company currency
        """
        partners = partners.commercial_partner_id
        result = {partner.id: {} for partner in partners}
        if not partners:
            return result
        for component in self._get_exposure_components():
            amounts = component.amounts(partners, company)
            for partner in partners:
                result[partner.id][component.code] = company.currency_id.round(
                    amounts.get(partner.id, 0.0)
                )
        return result

    @api.model
    def _get_credit_figures(self, accounts, company=None):
        """Figures of each credit account (group head or stand-alone customer).

        A head's exposure and overdue facts sum its members'; its limit is its own.

        :return: ``{account id: figures}`` (see :class:`policy.CreditCheckResult`)
        """
        company = company or self.env.company
        accounts = accounts.commercial_partner_id
        members = self.env["res.partner"].sudo().search(
            [("credit_group_head_id", "in", accounts.ids)]
        )
        involved = accounts | members.commercial_partner_id
        exposure = self._get_partner_exposure(involved, company)
        overdue, oldest = self._overdue_facts(involved, company)
        # A member's approved temporary limit raises its group's effective limit.
        temporary = self._temporary_limits(involved, company)
        result = {}
        for account in accounts.sudo().with_company(company):
            group = account | members.filtered(lambda m, a=account: m.credit_group_head_id == a)
            group = group.commercial_partner_id
            components = defaultdict(float)
            for partner in group:
                for code, amount in exposure[partner.id].items():
                    components[code] += amount
            result[account.id] = self._make_figures(
                company,
                limit=account.credit_limit,
                temporary_limit=sum(temporary.get(p.id, 0.0) for p in group),
                components=dict(components),
                overdue_amount=sum(overdue.get(p.id, 0.0) for p in group),
                oldest_overdue_days=max([oldest.get(p.id, 0) for p in group] or [0]),
                on_hold=account.credit_on_hold,
            )
        return result

    @api.model
    def _make_figures(self, company, limit, temporary_limit, components, overdue_amount,
                      oldest_overdue_days, on_hold, extra_amount=0.0):
        effective = policy.effective_limit(limit, [temporary_limit])
        exposure = company.currency_id.round(sum(components.values()) + extra_amount)
        band = policy.usage_band(
            exposure, effective, company.credit_warn_percent, company.credit_alert_percent
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
    def _evaluate(self, partner, company=None, amount=0.0, order=None, picking=None, earlier_amount=0.0):
        """Evaluate every credit rule for ``partner`` in ``company``.

        :param partner: any contact; its commercial entity (or credit group
            head) is checked
        :param amount: value in company currency of the document being checked
            that is not yet counted in the exposure (e.g. a quotation's total)
        :param earlier_amount: value of documents checked before this one in
            the same operation (orders confirmed together), not yet counted in
            the exposure either: it adds to the exposure, not to the document
        :param order: the sale order(s) concerned, for the prepayment rule (a
            delivery passes the orders of the moves it ships)
        :param picking: the delivery concerned (its order is used when
            ``order`` is ``None``)
        :return: :class:`policy.CreditCheckResult`
        """
        company = company or (order and order.company_id[:1]) or (picking and picking.company_id) \
            or self.env.company
        if order is None:
            order = picking.sale_id if picking else self.env["sale.order"]
        commercial = partner.commercial_partner_id.sudo().with_company(company)
        account = self._get_credit_account(commercial)
        figures = dict(self._get_credit_figures(account, company)[account.id])
        figures = self._make_figures(
            company,
            limit=figures["limit"],
            temporary_limit=figures["temporary_limit"],
            components=figures["components"],
            overdue_amount=figures["overdue_amount"],
            oldest_overdue_days=figures["oldest_overdue_days"],
            on_hold=figures["on_hold"] or commercial.credit_on_hold,
            extra_amount=amount + earlier_amount,
        )
        member_figures = {}
        if account != commercial and commercial.credit_limit > 0:
            own = self._get_partner_exposure(commercial, company)[commercial.id]
            member_figures = {
                "limit": commercial.credit_limit,
                "exposure": company.currency_id.round(sum(own.values()) + amount),
            }
        figures["prepayment_due"] = self._prepayment_due(commercial, account, order, company)
        figures.update(self._get_extra_figures(commercial, account, company))
        rule_input = CreditRuleInput(
            partner=commercial,
            account=account,
            company=company,
            amount=amount,
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

    def _prepayment_due(self, partner, account, orders, company):
        """Required prepayment of ``orders`` not yet received, in company currency
        (the sum over the orders)."""
        grade = partner.credit_grade_id or account.credit_grade_id
        if not orders or not grade or not grade.prepayment_percent:
            return 0.0
        today = fields.Date.context_today(self)
        return sum(
            order.currency_id._convert(
                policy.prepayment_due(
                    order.amount_total, grade.prepayment_percent, self._order_received(order, company)
                ),
                company.currency_id,
                company,
                today,
            )
            for order in orders.sudo()
        )

    @api.model
    def _order_received(self, order, company):
        """What the customer already paid for ``order``, in the order's currency.

        Received = paid part of the order's posted invoices (down payments
        included) plus online payments authorized or done and not invoiced yet.
        """
        order = order.sudo()
        invoices = order.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        received = sum(
            inv.currency_id._convert(
                inv.amount_total - inv.amount_residual, order.currency_id, company, inv.date
            )
            for inv in invoices
        )
        received += sum(
            tx.currency_id._convert(tx.amount, order.currency_id, company, fields.Date.context_today(self))
            for tx in order.transaction_ids
            if tx.state in ("authorized", "done") and not tx.invoice_ids
        )
        return received

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
        if policy.exceeds_effective_limit(fig["exposure"], fig["effective_limit"]):
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
        if member and policy.exceeds_sub_limit(member["exposure"], member["limit"]):
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
        if data.company.credit_no_limit_mode == "cash" and policy.new_customer_order_exceeded(
            data.figures["effective_limit"], data.amount, max_order
        ):
            return policy.RuleFailure(
                "new_customer_max_order",
                self.env._(
                    "%(partner)s has no credit limit: credit above %(max)s needs a credit "
                    "limit (this document is %(amount)s).",
                    partner=data.partner.display_name,
                    max=self._format(data.company, max_order),
                    amount=self._format(data.company, data.amount),
                ),
                {"amount": data.amount, "max_order": max_order},
            )
        return None

    def _rule_debt_without_limit(self, data):
        fig = data.figures
        debt = data.company.currency_id.round(fig["exposure"] - data.amount)
        if data.company.credit_no_limit_mode == "cash" and policy.debt_without_limit_grows(
            fig["effective_limit"], debt, data.amount
        ):
            return policy.RuleFailure(
                "debt_without_limit",
                self.env._(
                    "%(partner)s has no credit limit and still owes %(debt)s (invoices, deliveries "
                    "and orders): no new credit before that debt is settled (this document is %(amount)s).",
                    partner=data.partner.display_name,
                    debt=self._format(data.company, debt),
                    amount=self._format(data.company, data.amount),
                ),
                {"debt": debt, "amount": data.amount},
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

    def _rule_prepayment(self, data):
        """The grade's prepayment share is due *before delivery* (POLICY.md §2, §4).

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

    # ------------------------------------------------------------------
    # Serialisation and status snapshot
    # ------------------------------------------------------------------

    @api.model
    def _lock_credit_account(self, partner, company=None):
        """Lock the credit status row of the partner's credit account.

        Two checks for the same customer then run one after the other, so that
        both cannot pass on the same available credit, the second one seeing
        the first. The row is created when
        missing, race-safe (``ON CONFLICT DO NOTHING``).
        """
        company = company or self.env.company
        account = self._get_credit_account(partner.sudo())
        status = self.env["credit.policy.status"]
        status.flush_model()
        self.env.execute_query(
            SQL(
                """
                INSERT INTO credit_policy_status
                       (partner_id, company_id, band, status, escalated_band,
                        create_uid, write_uid, create_date, write_date)
                VALUES (%(partner)s, %(company)s, 'ok', 'ok', 'ok',
                        %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (partner_id, company_id) DO NOTHING
                """,
                partner=account.id,
                company=company.id,
                uid=self.env.uid,
            )
        )
        # An UPDATE, not a mere SELECT FOR UPDATE: a concurrent check waiting for
        # this row then fails with a serialization error when this transaction
        # commits and is retried on a fresh snapshot that sees what this one did
        # (under repeatable read it would otherwise keep its old snapshot).
        rows = self.env.execute_query(
            SQL(
                "UPDATE credit_policy_status SET write_date = NOW() AT TIME ZONE 'UTC'"
                " WHERE partner_id = %s AND company_id = %s RETURNING id",
                account.id,
                company.id,
            )
        )
        return status.sudo().browse(rows[0][0])
