from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from odoo.addons.credit_policy import policy

from ..tools import company_date, company_tz
from .credit_policy_workflow_mixin import is_credit_trusted

#: Kinds the monthly scan raises (and clears) from the customer's records;
#: addons adding a kind to the scan extend ``_scan_kinds``.
SCAN_KINDS = ("demand_drop", "missed_payments", "delay_jump", "no_orders")
#: Kinds people record from what they learn about the customer.
RECORDED_KINDS = ("suppliers_chasing", "salary_arrears", "management_churn", "other")


class CreditPolicyCrisisSignal(models.Model):
    """A crisis signal of a customer in a company (POLICY.md §5, seed 000 H).

    The monthly scan (:meth:`_cron_scan`) raises the signals it finds in the
    customer's records and clears those it no longer finds; people record the
    others (other suppliers chasing, salary arrears, management churn). The
    active signals, with the Credit Manager's "prepare litigation" flag, give
    the customer's response level (:class:`credit.policy.crisis.level`), which
    the credit check enforces.
    """

    _name = "credit.policy.crisis.signal"
    _description = "Credit Crisis Signal"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    kind = fields.Selection(
        [
            ("demand_drop", "Demand Dropped"),
            ("missed_payments", "Two Consecutive Missed Payments"),
            ("delay_jump", "Payment Delay Jumped"),
            ("no_orders", "No Orders for Two Months"),
            ("suppliers_chasing", "Other Suppliers Chasing"),
            ("salary_arrears", "Salary Arrears"),
            ("management_churn", "Management Churn"),
            ("other", "Other"),
        ],
        required=True,
        tracking=True,
    )
    source = fields.Selection(
        [("scan", "Monthly Scan"), ("user", "Recorded")],
        required=True,
        default="user",
        readonly=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    description = fields.Text(required=True, help="What was found or observed, and where it is documented.")
    user_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True
    )
    active = fields.Boolean(default=True, tracking=True, help="Unticked when the signal clears.")

    @api.depends("kind", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for signal in self:
            signal.display_name = f"{labels.get(signal.kind, '')} ({signal.partner_id.name or ''})"

    @api.model
    def _scan_kinds(self):
        """The kinds the monthly scan raises and clears (nobody records them
        by hand). Extend it with the kinds an addon's ``_scan_findings`` adds."""
        return SCAN_KINDS

    @api.constrains("kind", "source")
    def _check_kind_source(self):
        scan_kinds = self._scan_kinds()
        for signal in self:
            if (signal.source == "scan") != (signal.kind in scan_kinds):
                raise ValidationError(
                    self.env._(
                        "%(kind)s is found by the monthly scan, not recorded by hand; record what you "
                        "learnt as one of: other suppliers chasing, salary arrears, management churn, other.",
                        kind=signal.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        trusted = is_credit_trusted(self.env)
        Check = self.env["credit.policy.check"]
        for vals in vals_list:
            if not trusted:
                # Who recorded it and where it comes from are the server's.
                vals.update(user_id=self.env.user.id, source="user")
            if vals.get("partner_id"):
                vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
            if vals.get("company_id"):
                vals["company_id"] = Check._credit_area(self.env["res.company"].browse(vals["company_id"])).id
        signals = super().create(vals_list)
        if not self.env.context.get("credit_crisis_no_level"):
            signals._credit_update_levels()
        return signals

    def write(self, vals):
        if not is_credit_trusted(self.env) and {"source", "user_id"} & vals.keys():
            raise AccessError(self.env._("Where a crisis signal comes from and who recorded it are set by the server."))
        if not is_credit_trusted(self.env) and vals.get("kind") in self._scan_kinds():
            raise AccessError(self.env._("Only the monthly scan raises this kind of crisis signal."))
        before = self.mapped(lambda s: (s.partner_id, s.company_id))
        res = super().write(vals)
        if {"active", "kind", "partner_id", "company_id"} & vals.keys():
            pairs = set(before) | set(self.mapped(lambda s: (s.partner_id, s.company_id)))
            self.env["credit.policy.crisis.level"]._credit_update(pairs)
        return res

    def unlink(self):
        pairs = set(self.mapped(lambda s: (s.partner_id, s.company_id)))
        res = super().unlink()
        self.env["credit.policy.crisis.level"]._credit_update(pairs)
        return res

    def _credit_update_levels(self):
        self.env["credit.policy.crisis.level"]._credit_update(
            set(self.sudo().mapped(lambda s: (s.partner_id, s.company_id)))
        )

    # ------------------------------------------------------------------
    # Monthly scan (set-based; seed 004 monthly anomalies)
    # ------------------------------------------------------------------

    @api.model
    def _cron_scan(self):
        """Scan every credit control area (root company) once, on the day it
        is in the company's calendar (the scheduler's is UTC)."""
        for company in self.env["res.company"].sudo().search([("parent_id", "=", False)]):
            self.with_company(company)._scan(company, company_date(self, company))

    @api.model
    def _scan(self, company, today=None):
        """Raise the scan signals found in ``company``'s credit control area
        and clear the active ones no longer found; then update the levels.
        Idempotent: a customer has at most one active signal of each kind."""
        company = self.env["credit.policy.check"]._credit_area(company)
        today = today or company_date(self, company)
        found = self._scan_findings(company, today)  # {(partner id, kind): description}
        Signal = self.sudo().with_context(active_test=True)
        existing = Signal.search([("company_id", "=", company.id), ("source", "=", "scan")])
        known = {(signal.partner_id.id, signal.kind): signal for signal in existing}
        cleared = existing.filtered(lambda s: (s.partner_id.id, s.kind) not in found)
        new_vals = [
            {
                "partner_id": partner_id,
                "company_id": company.id,
                "kind": kind,
                "source": "scan",
                "date": today,
                "description": description,
                "user_id": False,
            }
            for (partner_id, kind), description in found.items()
            if (partner_id, kind) not in known
        ]
        trusted = Signal.with_context(credit_crisis_no_level=True, tracking_disable=True)
        created = trusted.create(new_vals)
        if cleared:
            cleared.with_context(credit_crisis_no_level=True).write({"active": False})
        pairs = {(s.partner_id, company) for s in created | cleared}
        self.env["credit.policy.crisis.level"]._credit_update(pairs)
        return created, cleared

    @api.model
    def _scan_findings(self, company, today):
        """What the scan finds in ``company``'s credit control area on
        ``today``: ``{(commercial partner id, kind): description}``. Extend it
        to add a kind (and ``_scan_kinds``); a finding no longer returned
        clears its signal at the next scan."""
        findings = {}
        for kind, rows in (
            ("demand_drop", self._scan_demand_drop(company, today)),
            ("missed_payments", self._scan_missed_payments(company, today)),
            ("delay_jump", self._scan_delay_jump(company, today)),
            ("no_orders", self._scan_no_orders(company, today)),
        ):
            for partner_id, description in rows.items():
                findings[(partner_id, kind)] = description
        return findings

    def _order_amounts_sql(self, company):
        """Confirmed sale orders of the credit control area, per commercial
        partner, date and untaxed amount in company currency. The date is the
        order's day in the company's calendar: an order placed on the 1st in
        the morning in Shanghai is that month's demand, though it is still the
        day before in UTC (as stored)."""
        self.env["sale.order"].flush_model(["partner_id", "state", "date_order", "amount_untaxed", "currency_rate"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   (o.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day,
                   o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount
              FROM sale_order o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.company_id IN %(companies)s
               AND o.state = 'sale'
            """,
            companies=self.env["credit.policy.check"]._credit_area_company_ids(company),
            tz=company_tz(self, self.env["credit.policy.check"]._credit_area(company)),
        )

    @api.model
    def _scan_demand_drop(self, company, today):
        """Demand (confirmed orders) of the last complete month below the
        company's percentage of the monthly average of the 12 months before it
        (zero included), for customers with such an average."""
        month = today.replace(day=1)
        last = fields.Date.subtract(month, months=1)
        start = fields.Date.subtract(last, months=12)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id,
                       COALESCE(SUM(amount) FILTER (WHERE day >= %(last)s), 0),
                       COALESCE(SUM(amount) FILTER (WHERE day < %(last)s), 0) / 12.0
                  FROM (%(orders)s) o
                 WHERE day >= %(start)s AND day < %(month)s
                 GROUP BY partner_id
                """,
                orders=self._order_amounts_sql(company),
                last=last,
                start=start,
                month=month,
            )
        )
        percent = company.credit_crisis_demand_percent
        currency = company.currency_id
        return {
            partner_id: self.env._(
                "Orders of %(month)s: %(amount)s, below %(percent)s%% of the monthly average %(average)s "
                "of the 12 months before.",
                month=last.strftime("%Y-%m"),
                amount=currency.round(amount),
                percent=percent,
                average=currency.round(average),
            )
            for partner_id, amount, average in rows
            if policy.demand_dropped(currency.round(amount), currency.round(average), percent)
        }

    @api.model
    def _scan_no_orders(self, company, today):
        """Customers who ordered in the last 12 months but not in the last two
        (their last confirmed order is more than two months old)."""
        since = fields.Date.subtract(today, months=2)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, MAX(day)
                  FROM (%(orders)s) o
                 WHERE day >= %(start)s AND day <= %(today)s
                 GROUP BY partner_id
                HAVING MAX(day) < %(since)s
                """,
                orders=self._order_amounts_sql(company),
                start=fields.Date.subtract(today, months=12),
                today=today,
                since=since,
            )
        )
        return {
            partner_id: self.env._("No order since %(date)s (more than two months).", date=last_day)
            for partner_id, last_day in rows
        }

    @api.model
    def _scan_missed_payments(self, company, today):
        """An invoice due in each of the last two complete months paid after its
        due date or still open (no valid reason recorded): two consecutive
        missed due dates."""
        month = today.replace(day=1)
        start = fields.Date.subtract(month, months=2)
        middle = fields.Date.subtract(month, months=1)
        lines = self.env["credit.policy.evaluation"]._due_receivable_lines_sql(company, start, month)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id
                  FROM (%(lines)s) due
                 GROUP BY partner_id
                HAVING bool_or(late AND date_maturity < %(middle)s)
                   AND bool_or(late AND date_maturity >= %(middle)s)
                """,
                lines=lines,
                middle=middle,
            )
        )
        return {
            row[0]: self.env._(
                "Invoices due in %(first)s and in %(second)s were paid late or are still open.",
                first=start.strftime("%Y-%m"),
                second=middle.strftime("%Y-%m"),
            )
            for row in rows
        }

    @api.model
    def _scan_delay_jump(self, company, today):
        """Average payment delay (days paid after the due date, or overdue so
        far, weighted by what the customer owed of them: credited parts left
        out) of the invoices due in the last 3 complete
        months at least the company's jump longer than of those due in the 9
        months before."""
        month = today.replace(day=1)
        recent = fields.Date.subtract(month, months=3)
        start = fields.Date.subtract(month, months=12)
        lines = self.env["credit.policy.evaluation"]._due_receivable_lines_sql(company, start, month)
        rows = self.env.execute_query(
            SQL(
                """
                WITH delays AS (
                    -- weighted by what the customer owed: a credited part has no delay
                    SELECT partner_id, date_maturity, owed AS balance,
                           GREATEST(
                               -- covered by credit on account: paid, when unknown;
                               -- a rest within the tolerance: paid when last paid on
                               CASE WHEN still_open THEN %(today)s
                                    ELSE COALESCE(last_paid, date_maturity) END - date_maturity,
                               0) AS delay
                      FROM (%(lines)s) due
                )
                SELECT partner_id,
                       SUM(delay * balance) FILTER (WHERE date_maturity >= %(recent)s)
                           / NULLIF(SUM(balance) FILTER (WHERE date_maturity >= %(recent)s), 0),
                       SUM(delay * balance) FILTER (WHERE date_maturity < %(recent)s)
                           / NULLIF(SUM(balance) FILTER (WHERE date_maturity < %(recent)s), 0)
                  FROM delays
                 GROUP BY partner_id
                """,
                today=today,
                lines=lines,
                recent=recent,
            )
        )
        jump = company.credit_crisis_delay_jump_days
        result = {}
        for partner_id, recent_days, previous_days in rows:
            recent_days = None if recent_days is None else round(float(recent_days), 1)
            previous_days = None if previous_days is None else round(float(previous_days), 1)
            if policy.payment_delay_jumped(recent_days, previous_days, jump):
                result[partner_id] = self.env._(
                    "Average payment delay of the last 3 months: %(recent)s days, against %(previous)s days "
                    "in the 9 months before.",
                    recent=recent_days,
                    previous=previous_days,
                )
        return result
