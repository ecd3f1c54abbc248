from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .. import policy
from ..tools import audited_values

# Days, amounts and growth shares: 0 disables or means "none", below 0 is meaningless.
CREDIT_NON_NEGATIVE_SETTINGS = (
    "credit_repayment_plan_days",
    "credit_exposure_horizon_days",
    "credit_unordered_shipment_days",
    "credit_max_overdue_days",
    "credit_overdue_tolerance_amount",
    "credit_new_customer_max_order",
    "credit_release_manager_amount",
    "credit_release_tolerance_percent",
    "credit_release_validity_days",
    "credit_max_limit_increase_percent",
    "credit_crisis_demand_percent",
    "credit_crisis_delay_jump_days",
    "credit_facts_window_months",
    "credit_total_limit_cap",
    "credit_general_manager_limit",
    "credit_temporary_general_manager_limit",
)


#: The customer data counting as key data until a company chooses its own
#: (POLICY.md §1: customers whose key data is incomplete are capped like new ones).

class ResCompany(models.Model):
    """Per-company credit policy settings (POLICY.md: every "XX" is a setting)."""

    _inherit = "res.company"

    credit_grade_table_id = fields.Many2one(
        "credit.policy.grade.table",
        string="Credit Grade Table",
        domain="[('company_id', '=', id)]",
        help="The grading scheme this company rates its customers with.",
    )
    # Technical: holds the transaction's memo of credit figures of this credit
    # area in the ORM cache (credit.policy.check._figures_memo); never stored.
    credit_figures_memo = fields.Json(
        compute="_compute_credit_figures_memo", prefetch=False, groups="base.group_system"
    )

    credit_check_mode = fields.Selection(
        [("off", "Off"), ("warn", "Warn"), ("block", "Block")],
        string="Credit Check at Order Confirmation",
        default="warn",
        required=True,
        help="What confirming an order that breaks the credit rules does. Off: nothing. Warn: the order is "
        "confirmed, the salesperson sees the rules broken and the order is listed under Held Orders. Block: "
        "the order stays a quotation until the customer's credit allows it or a temporary limit is granted. "
        "Deliveries are blocked by the rules in every mode.",
    )
    credit_warn_percent = fields.Float(
        string="Alert Threshold (%)",
        default=80.0,
        help="Usage of the effective limit at which the salesperson must alert "
        "the regional manager and the credit department.",
    )
    credit_alert_percent = fields.Float(
        string="Repayment Plan Threshold (%)",
        default=90.0,
        help="Usage of the effective limit at which the salesperson must obtain "
        "a repayment plan and commitment from the customer.",
    )
    credit_repayment_plan_days = fields.Integer(
        string="Repayment Plan Due (days)",
        default=7,
        help="Days the salesperson has to obtain the repayment plan before the "
        "sales manager is asked to step in.",
    )
    credit_exposure_horizon_days = fields.Integer(
        string="Open Order Horizon (days)",
        default=30,
        help="Confirmed orders not yet delivered count in the exposure when their "
        "delivery is due within this many days. 0 counts every open order.",
    )
    credit_include_draft_invoices = fields.Boolean(
        string="Count Draft Invoices in Exposure",
        help="Count every customer invoice not yet posted in the exposure. Draft invoices created from sale "
        "orders always count (their quantities are invoiced on the order already); this adds the others.",
    )
    credit_unordered_shipment_days = fields.Integer(
        string="Shipments Without Order Count For (days)",
        default=90,
        help="Goods shipped to a customer without a sale order count in the exposure "
        "until a customer invoice names the delivery in its source document, or for "
        "at most this many days after shipping. 0: they never count.",
    )
    credit_max_overdue_percent = fields.Float(
        string="Maximum Overdue Share (%)",
        default=30.0,
        help="Blocks when the overdue amount exceeds this share of the open "
        "receivables. 0 disables the rule.",
    )
    credit_max_overdue_days = fields.Integer(
        string="Maximum Days Overdue",
        default=60,
        help="Blocks when the oldest overdue invoice is older than this many days "
        "past its due date. 0 disables the rule.",
    )
    credit_watch_prepayment_percent = fields.Float(
        string="Prepayment Share on Watch (%)",
        default=30.0,
        help="Share of each order a customer on watch pays before delivery (seed 004). While on watch, "
        "the larger of this share and the grade's prepayment share is due; the delivery is blocked "
        "until it is received.",
    )
    credit_overdue_tolerance_amount = fields.Monetary(
        string="Ignored Small Overdue Amount",
        currency_field="currency_id",
        default=100.0,
        help="Overdue amounts up to this value are ignored by the overdue rules.",
    )
    credit_no_limit_mode = fields.Selection(
        [
            ("cash", "Cash Unless Credit Is Granted"),
            ("unrestricted", "No Restriction"),
        ],
        string="Customers Without a Credit Limit",
        default="cash",
        required=True,
        help="Cash Unless Credit Is Granted (the policy's principle): a customer "
        "without a credit limit gets no credit beyond the maximum order below, "
        "and only while he owes nothing (orders, deliveries and invoices "
        "included): his debt may only go down. No Restriction: the credit rules "
        "ignore customers without a limit.",
    )
    credit_new_customer_max_order = fields.Monetary(
        string="Maximum Order Without a Credit Limit",
        currency_field="currency_id",
        default=5000.0,
        help="Largest value a customer without a credit limit may take on credit "
        "in one document. 0: nothing on credit.",
    )
    credit_release_manager_amount = fields.Monetary(
        string="Release Needs Credit Manager Above",
        currency_field="currency_id",
        help="Releasing a blocked delivery worth more than this needs a Credit "
        "Manager. 0 means Credit Controllers may release any amount.",
    )
    credit_release_tolerance_percent = fields.Float(
        string="Release Value Tolerance (%)",
        default=5.0,
        help="A released delivery is blocked again when its value grows by more "
        "than this share.",
    )
    credit_release_validity_days = fields.Integer(
        string="Release Valid For (days)",
        default=7,
        help="How long a released delivery may be validated under its release. After that, or when the "
        "delivery's value or the rules it breaks change, the delivery is blocked again.",
    )
    credit_four_eyes = fields.Boolean(
        string="Four-Eyes Principle",
        default=True,
        help="Nobody decides his own credit request (temporary limit, evaluation, "
        "delivery release), and one person approves only one step of an approval "
        "chain. Switch it off only in a company too small to have two people.",
    )
    credit_red_flag_hold = fields.Boolean(
        string="Hold Customers with a Red Flag",
        default=True,
        help="A red flag opens an event-triggered re-evaluation due within 48 hours. Until "
        "it is approved or cancelled, the customer's order confirmations and deliveries are "
        "held by the credit check.",
    )
    credit_crisis_demand_percent = fields.Float(
        string="Crisis Signal: Demand Below (%)",
        default=50.0,
        help="The monthly scan raises a crisis signal when a customer's orders of the last month "
        "fall below this share of its monthly average over the 12 months before (zero included).",
    )
    credit_crisis_delay_jump_days = fields.Integer(
        string="Crisis Signal: Payment Delay Jump (days)",
        default=20,
        help="The monthly scan raises a crisis signal when a customer's average payment delay of the "
        "last 3 months is at least this many days longer than over the 9 months before (0 disables).",
    )
    credit_max_limit_increase_percent = fields.Float(
        string="Maximum Limit Increase per Step (%)",
        default=20.0,
        help="An upgrade proposed for a good payer raises the limit by at most this share; a larger raise "
        "needs the General Manager.",
    )
    credit_general_manager_limit = fields.Monetary(
        string="General Manager Approves Limits Above",
        default=200000.0,
        help="A credit limit above this amount needs the General Manager's final review: an evaluation "
        "proposing it goes to him, and Change Credit does not grant it without him. 0: every limit "
        "needs him.",
    )
    credit_temporary_general_manager_limit = fields.Monetary(
        string="General Manager Approves Temporary Limits Above",
        default=50000.0,
        help="Temporary limits of a customer (its credit group included) totalling more than this amount, "
        "the request included, need the General Manager's approval after the Credit Manager's. 0: every "
        "temporary limit needs him.",
    )

    credit_facts_window_months = fields.Integer(
        string="Facts Window (months)",
        default=12,
        help="Months of invoices and payments an evaluation reads to propose a limit from the "
        "customer's average monthly shipments and payments and its average days-to-pay.",
    )
    credit_key_data_ids = fields.Many2many(
        "credit.policy.key.data",
        string="Customer Key Data",
        default=lambda self: self.env["credit.policy.key.data"].search([]),
        help="The customer's data an evaluation needs complete: a customer missing any of it is graded like a "
        "new customer (AA or above only with a special approval). Read from the customer's record when the "
        "evaluation is created, read again and submitted. Empty: no key data is required.",
    )
    credit_total_limit_cap = fields.Monetary(
        string="Total Credit Cap",
        currency_field="currency_id",
        help="Cap on the sum of the credit limits granted to all customers of the company "
        "(授信总额控制). A grant that takes the total above it needs the General Manager's "
        "approval. 0: no cap.",
    )
    credit_total_cap_exposure = fields.Boolean(
        string="Cap Total Exposure Too",
        help="A raise also needs the General Manager's approval when the customers' total "
        "exposure plus the raise would exceed the cap.",
    )

    def write(self, vals):
        # Every change of a credit setting is recorded (who, when, old → new).
        Change = self.env["credit.policy.settings.change"]
        before = audited_values(self, [name for name in Change._setting_fields() if name in vals])
        res = super().write(vals)
        if before:
            Change._record(before)
        return res

    @api.model
    def _credit_init_key_data(self):
        """At installation: the companies that exist get the default key data."""
        self.sudo().search([("credit_key_data_ids", "=", False)]).credit_key_data_ids = (
            self.env["credit.policy.key.data"].search([])
        )

    def _credit_missing_key_data(self, partners):
        """{partner id: labels of the key data it misses} in this company
        (policy.missing_key_data), read as superuser: whoever proposes an
        evaluation is graded on the customer's record, not on what he may read."""
        self.ensure_one()
        partners = partners.sudo().with_company(self)
        labels = {
            key_data.field_name: key_data.name
            for key_data in self.sudo().credit_key_data_ids
            if key_data.field_name in partners._fields
        }
        return {
            partner.id: [labels[name] for name in policy.missing_key_data({name: partner[name] for name in labels})]
            for partner in partners
        }

    @api.constrains("credit_grade_table_id")
    def _check_credit_grade_table_company(self):
        for company in self:
            table = company.credit_grade_table_id
            if table and table.company_id != company:
                raise ValidationError(
                    self.env._(
                        "%(company)s cannot rate its customers with the grade table %(table)s of %(other)s.",
                        company=company.name,
                        table=table.name,
                        other=table.company_id.name,
                    )
                )

    @api.constrains("credit_warn_percent", "credit_alert_percent")
    def _check_credit_thresholds(self):
        for company in self:
            if not 0 < company.credit_warn_percent < company.credit_alert_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the alert threshold (%(warn)s%%) must be above 0 and below the "
                        "repayment plan threshold (%(alert)s%%), which may not exceed 100%%.",
                        company=company.name,
                        warn=company.credit_warn_percent,
                        alert=company.credit_alert_percent,
                    )
                )

    @api.constrains("credit_max_overdue_percent")
    def _check_credit_max_overdue_percent(self):
        for company in self:
            if not 0 <= company.credit_max_overdue_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the maximum overdue share must be between 0 and 100%%.",
                        company=company.name,
                    )
                )

    @api.constrains("credit_watch_prepayment_percent")
    def _check_credit_watch_prepayment_percent(self):
        for company in self:
            if not 0 <= company.credit_watch_prepayment_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the prepayment share on watch must be between 0 and 100%%.",
                        company=company.name,
                    )
                )

    @api.constrains("credit_crisis_demand_percent")
    def _check_credit_crisis_demand_percent(self):
        for company in self:
            if not 0 <= company.credit_crisis_demand_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the demand share of the crisis signal must be between 0 and 100%%.",
                        company=company.name,
                    )
                )

    @api.constrains(*CREDIT_NON_NEGATIVE_SETTINGS)
    def _check_credit_not_negative(self):
        for company in self:
            negative = [
                company._fields[name].get_description(self.env)["string"]
                for name in CREDIT_NON_NEGATIVE_SETTINGS
                if company[name] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "%(company)s: these credit settings cannot be negative: %(settings)s.",
                        company=company.name,
                        settings=", ".join(negative),
                    )
                )

    def _compute_credit_figures_memo(self):
        for company in self:
            company.credit_figures_memo = False

    # ------------------------------------------------------------------
    # Company-wide cap on credit granted (seed 002: 授信总额控制)
    # ------------------------------------------------------------------

    def _credit_total_granted_limits(self):
        """Sum of the credit limits granted to the company's customers (their
        commercial entities, archived ones included), in company currency: one
        query over the company-dependent limit. An archived customer keeps its
        limit and its debt, and unarchiving it brings both back: its limit
        stays granted, or archiving would free room under the cap beside the
        General Manager. A credit group counts once, at its head: a member's
        own limit is a sub-limit within the head's."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_company(self).sudo()
        Partner.flush_model(["credit_limit", "commercial_partner_id", "credit_group_head_id"])
        limit = Partner._field_to_sql("res_partner", "credit_limit")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(%s), 0)
                  FROM res_partner
                 WHERE id = commercial_partner_id AND credit_group_head_id IS NULL
                """,
                limit,
            )
        )
        return rows[0][0] or 0.0

    def _credit_total_exposure(self):
        """Sum of the customers' exposure as last refreshed by the credit
        status, in company currency; a credit group counts once, at its head."""
        self.ensure_one()
        self.env["credit.policy.status"].flush_model(["exposure", "partner_id", "company_id"])
        self.env["res.partner"].flush_model(["credit_group_head_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(s.exposure), 0)
                  FROM credit_policy_status s
                  JOIN res_partner p ON p.id = s.partner_id
                 WHERE s.company_id = %s AND p.credit_group_head_id IS NULL
                """,
                self.id,
            )
        )
        return rows[0][0] or 0.0

    def _credit_lock_total_cap(self):
        """Lock the company's cap on the total credit granted before judging a
        grant against it: two limits raised at the same time (Change Credit,
        evaluations approved) for different customers are then judged one
        after the other, the second on the total with the first, instead of
        both on the total before (each fitting alone, both beyond the cap).

        The company's row is updated, not only locked: a transaction waiting
        for it then fails with a serialization failure once the first
        commits, and is retried on a fresh snapshot that sees the first grant
        (under repeatable read it would otherwise keep its old total)."""
        self.ensure_one()
        self.env.cr.execute(SQL("UPDATE res_company SET write_date = write_date WHERE id = %s", self.id))

    def _credit_raise_if_total_cap_exceeded(self, changes):
        """Refuse raising limits past the company's total credit cap unless the
        current user is the General Manager.

        :param changes: ``[(old_limit, new_limit)]`` of the customers changed
        """
        self.ensure_one()
        cap = self.credit_total_limit_cap
        if not cap or self.env.su or self.env.user.has_group("credit_policy.group_credit_policy_general_manager"):
            return
        raised = sum(new - old for old, new in changes)
        if raised <= 0:
            return
        self._credit_lock_total_cap()
        total = self._credit_total_granted_limits()
        exceeded, new_total = policy.total_cap_exceeded(cap, total, 0.0, raised)
        currency = self.currency_id
        if exceeded:
            raise UserError(
                self.env._(
                    "%(company)s caps the total credit granted at %(cap)s: the customers' limits total "
                    "%(total)s now and would total %(new_total)s. Only the General Manager may grant "
                    "beyond the cap (through an evaluation he approves).",
                    company=self.name,
                    cap=currency.format(cap),
                    total=currency.format(total),
                    new_total=currency.format(new_total),
                )
            )
        if self.credit_total_cap_exposure:
            exposure = self._credit_total_exposure()
            exceeded, new_exposure = policy.total_cap_exceeded(cap, exposure, 0.0, raised)
            if exceeded:
                raise UserError(
                    self.env._(
                        "%(company)s caps the total credit granted at %(cap)s: the customers' exposure "
                        "is %(exposure)s and the raise of %(increase)s would allow %(new_total)s. Only the "
                        "General Manager may grant beyond the cap.",
                        company=self.name,
                        cap=currency.format(cap),
                        exposure=currency.format(exposure),
                        new_total=currency.format(new_exposure),
                        increase=currency.format(raised),
                    )
                )
