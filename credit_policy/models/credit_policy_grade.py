from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import policy
from ..tools import audited_values, post_changes, post_trail
from ..policy import (
    GradePrerequisites,
    GradeRule,
    GrantBounds,
    grant_violations,
    grants_credit,
    one_purchase_bounds,
    one_purchase_violations,
)


class CreditPolicyGrade(models.Model):
    """One grade of a grade table and what it grants (POLICY.md §1–2).

    ``sequence`` orders grades from best (lowest sequence) to worst; red flags
    force the grade the table names (``red_flag_grade_id``), by default its worst.
    """

    _name = "credit.policy.grade"
    _description = "Credit Grade"
    _order = "table_id, sequence, id"

    table_id = fields.Many2one(
        "credit.policy.grade.table", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="table_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(default=10, help="Best grade first.")
    code = fields.Char(required=True, help="Short code shown on customers, e.g. AAA.")
    name = fields.Char(required=True, translate=True)
    min_score = fields.Float(
        string="Minimum Total Score", help="Lower bound of the grade's score band."
    )
    min_repayment_score = fields.Float(
        string="Minimum Repayment Score",
        help="Minimum points for the repayment of due invoices; below it the "
        "grade drops one level.",
    )
    min_purchase_score = fields.Float(
        string="Minimum Purchase Score",
        help="Minimum points for purchases with us; below it the grade drops one level.",
    )
    default_limit = fields.Monetary(string="Default Credit Limit", currency_field="currency_id")
    max_limit = fields.Monetary(string="Maximum Credit Limit", currency_field="currency_id")
    max_term_days = fields.Integer(string="Maximum Credit Term (days)")
    temporary_credit_days = fields.Integer(
        string="Temporary Credit (days)",
        default=15,
        help="Longest validity of a temporary limit granted to customers of this grade "
        "(seed 002: 15 days for B). 0: no temporary limit. Grades that grant no credit "
        "(credit sales not allowed, or 100 % prepayment) never get one.",
    )
    prepayment_percent = fields.Float(
        string="Prepayment Required (%)",
        help="Share of each order to be paid before delivery: 0 is normal credit, "
        "100 is cash before delivery.",
    )
    max_payment_days = fields.Integer(
        string="Maximum Payment Days",
        help="Longest time a customer of this grade may take to pay, in days from the invoice date "
        "(seed 000: D-grade customers never exceed 60 actual payment days). An open invoice of the "
        "customer older than this blocks its deliveries and credit orders, as overdue items do, "
        "whatever its due date (open rests up to the company's Ignored Small Overdue Amount do not "
        "count). 0: no cap.",
    )
    collateral_required = fields.Boolean(
        help="Credit only against recorded collateral; the limit may not exceed "
        "the collateral value."
    )
    review_months = fields.Integer(
        string="Review Every (months)", default=6, help="How often customers of this grade are re-evaluated."
    )
    new_customer_allowed = fields.Boolean(
        default=True,
        help="New customers and customers with incomplete data may receive this "
        "grade without a special approval.",
    )
    credit_allowed = fields.Boolean(
        string="Credit Sales Allowed",
        default=True,
        help="Unticked: no credit at all, the customer pays before delivery.",
    )
    # Prerequisites besides the score (POLICY.md §1, seed 002: grade A of the
    # A/B/C scheme). 0 / unticked: no such prerequisite.
    min_cooperation_months = fields.Integer(
        string="Minimum Cooperation (months)",
        help="Months since the customer's first posted customer invoice in the company (its credit "
        "control area) this grade needs. 0: no minimum.",
    )
    bad_debt_free_years = fields.Integer(
        string="Years Without Bad Debt",
        help="This grade needs no bad debt in these last years: no red flag of a bad-debt type "
        "recorded on the customer in the company in that period, lifted or not. 0: no such prerequisite.",
    )
    min_yearly_volume = fields.Monetary(
        string="Minimum Yearly Shipments and Payments",
        currency_field="currency_id",
        help="Both the customer's shipments (posted invoices net of credit notes) and his payments of "
        "the last 12 months, in company currency, must reach this amount (the company's standard). "
        "0: no minimum.",
    )
    conduct_confirmation_required = fields.Boolean(
        string="Evaluator Confirms Conduct, Operation and Capital",
        help="This grade needs the evaluator's confirmation, on the evaluation, of the customer's "
        "lawful and reliable conduct, two years of good operation and strong capital.",
    )
    active = fields.Boolean(related="table_id.active")
    limit_band_ids = fields.One2many(
        "credit.policy.grade.limit.band",
        "grade_id",
        string="Limit Bands",
        help="Monthly limit factor by the customer's average days-to-pay: the evaluation proposes "
        "the factor x the smaller of its average monthly shipments and payments.",
    )
    note = fields.Text(translate=True, help="What else the policy says about this grade.")
    limit_at_most_one_purchase = fields.Boolean(
        string="Limit at Most One Purchase",
        help="Some companies grant this grade at most one purchase on credit (seed 001): the "
        "granted limit may not exceed the customer's average confirmed order over the facts "
        "window (credit settings). No bound for a customer without orders in the window: the "
        "new-customer rules and the grade's maximum apply.",
    )
    term_at_most_one_cycle = fields.Boolean(
        string="Term at Most One Purchasing Cycle",
        help="Some companies want the credit of this grade paid back within one purchasing cycle "
        "(seed 001): the granted term (days) may not exceed the customer's average days between "
        "consecutive order days over the facts window. No bound with fewer than two order days.",
    )

    _sql_constraints = [
        ("code_table_unique", "unique (table_id, code)", "A grade code must be unique within its table."),
        (
            "amounts_positive",
            "CHECK (min_score >= 0 AND min_repayment_score >= 0 AND min_purchase_score >= 0 "
            "AND default_limit >= 0 AND max_limit >= 0 AND max_term_days >= 0 AND review_months >= 0)",
            "Scores, limits, terms and review months of a grade cannot be negative.",
        ),
        (
            "prepayment_percent_range",
            "CHECK (prepayment_percent >= 0 AND prepayment_percent <= 100)",
            "The prepayment share must be between 0 and 100 %.",
        ),
        (
            "max_payment_days_positive",
            "CHECK (max_payment_days >= 0)",
            "The maximum payment days of a grade cannot be negative.",
        ),
        (
            "temporary_credit_days_positive",
            "CHECK (temporary_credit_days >= 0)",
            "The temporary credit days of a grade cannot be negative.",
        ),
        (
            "prerequisites_positive",
            "CHECK (min_cooperation_months >= 0 AND bad_debt_free_years >= 0 AND min_yearly_volume >= 0)",
            "The cooperation months, years without bad debt and yearly volume a grade needs cannot be negative.",
        ),
        ("limit_order", "CHECK (max_limit >= default_limit)", "A grade's maximum limit cannot be below its default limit."),
    ]

    # What a grade grants or requires: each change is recorded on its table.
    _AUDITED_FIELDS = (
        "code", "min_score", "min_repayment_score", "min_purchase_score", "credit_allowed", "default_limit",
        "max_limit", "max_term_days", "temporary_credit_days", "prepayment_percent", "max_payment_days",
        "collateral_required", "review_months", "new_customer_allowed", "min_cooperation_months",
        "bad_debt_free_years", "min_yearly_volume", "conduct_confirmation_required", "limit_at_most_one_purchase",
        "term_at_most_one_cycle",
    )

    @api.model_create_multi
    def create(self, vals_list):
        grades = super().create(vals_list)
        for grade in grades:
            post_trail(grade.table_id, self.env._("Grade %(grade)s added.", grade=grade.display_name))
        return grades

    def write(self, vals):
        before = audited_values(self, [name for name in self._AUDITED_FIELDS + ("table_id",) if name in vals])
        res = super().write(vals)
        for grade, old in before.items():
            title = self.env._("Grade %(grade)s changed:", grade=grade.display_name)
            post_changes(grade.table_id, grade, title, old)
            if "table_id" in old and old["table_id"] != grade.table_id:
                # moved to another table: the table it left records it too
                post_changes(old["table_id"], grade, title, old)
        return res

    def unlink(self):
        for grade in self:
            post_trail(grade.table_id, self.env._("Grade %(grade)s deleted.", grade=grade.display_name))
        return super().unlink()

    @api.depends("code", "name")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = f"{grade.code} - {grade.name}" if grade.name != grade.code else grade.code

    @api.constrains("sequence", "min_score", "table_id")
    def _check_score_bands(self):
        """Bands must go down from the best grade to the worst, or a score would
        fall into two grades."""
        for table in self.table_id:
            grades = table.grade_ids.sorted(lambda g: (g.sequence, g.id))
            for better, worse in zip(grades, grades[1:]):
                if worse.min_score >= better.min_score:
                    raise ValidationError(
                        self.env._(
                            "In table %(table)s, grade %(worse)s must need a lower total "
                            "score than the better grade %(better)s.",
                            table=table.display_name,
                            worse=worse.code,
                            better=better.code,
                        )
                    )

    @api.constrains("credit_allowed", "default_limit", "max_limit", "max_term_days")
    def _check_no_credit_grade(self):
        for grade in self.filtered(lambda g: not g.credit_allowed):
            if grade.default_limit or grade.max_limit or grade.max_term_days:
                raise ValidationError(
                    self.env._(
                        "Grade %(grade)s allows no credit: its limits and term must be 0.",
                        grade=grade.code,
                    )
                )

    def _grade_rule(self):
        """This grade as the pure grading rules see it."""
        self.ensure_one()
        return GradeRule(
            self.id,
            self.min_score,
            self.min_repayment_score,
            self.min_purchase_score,
            self.new_customer_allowed,
        )

    def _grade_prerequisites(self):
        """What this grade requires besides its score, for the pure rules."""
        self.ensure_one()
        return GradePrerequisites(
            self.min_cooperation_months,
            self.bad_debt_free_years,
            self.min_yearly_volume,
            self.conduct_confirmation_required,
        )

    def _has_prerequisites(self):
        """Whether any of these grades requires more than its score."""
        return any(
            grade.min_cooperation_months or grade.bad_debt_free_years or grade.min_yearly_volume
            or grade.conduct_confirmation_required
            for grade in self
        )

    def _prerequisite_failures(self, record, today):
        """The prerequisites of this grade ``record`` (policy.CustomerRecord) fails."""
        self.ensure_one()
        return policy.grade_prerequisite_failures(
            self._grade_prerequisites(), record, today, self.currency_id.rounding or 0.01
        )

    def _prerequisite_messages(self, failures, record):
        """One translated sentence per failed prerequisite of this grade."""
        self.ensure_one()
        currency = self.currency_id
        messages = {
            policy.PREREQUISITE_COOPERATION: lambda: self.env._(
                "grade %(grade)s needs %(months)s months of cooperation; the customer's first invoice is "
                "%(actual)s months old",
                grade=self.code,
                months=self.min_cooperation_months,
                actual=record.cooperation_months,
            ),
            policy.PREREQUISITE_BAD_DEBT: lambda: self.env._(
                "grade %(grade)s needs no bad debt in %(years)s years; a bad debt was recorded on %(date)s",
                grade=self.code,
                years=self.bad_debt_free_years,
                date=record.last_bad_debt_date,
            ),
            policy.PREREQUISITE_YEARLY_VOLUME: lambda: self.env._(
                "grade %(grade)s needs yearly shipments and payments of %(minimum)s; the last 12 months "
                "show shipments of %(shipments)s and payments of %(payments)s",
                grade=self.code,
                minimum=currency.format(self.min_yearly_volume),
                shipments=currency.format(record.yearly_shipments),
                payments=currency.format(record.yearly_payments),
            ),
            policy.PREREQUISITE_CONFIRMATION: lambda: self.env._(
                "grade %(grade)s needs the evaluator's confirmation of the customer's lawful and reliable "
                "conduct, two years of good operation and strong capital",
                grade=self.code,
            ),
        }
        return [messages[failure]() for failure in failures]

    def _review_dates(self, today=None):
        """Last and next review dates when a customer gets this grade now."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        return {
            "credit_last_review_date": today,
            "credit_next_review_date": fields.Date.add(today, months=self.review_months)
            if self.review_months
            else False,
        }

    def _grants_credit(self):
        """Whether this grade grants any credit (policy.grants_credit)."""
        self.ensure_one()
        return grants_credit(self.credit_allowed, self.prepayment_percent)

    def _grant_bounds(self):
        """What this grade grants, for the pure grant rules."""
        self.ensure_one()
        return GrantBounds(
            self.credit_allowed, self.max_limit, self.max_term_days, self.collateral_required
        )

    def _raise_if_grant_violated(self, limit, term_days, collateral_value, currency):
        """ValidationError listing how a limit and term break this grade's bounds."""
        self.ensure_one()
        violations = grant_violations(self._grant_bounds(), limit, term_days, collateral_value)
        if not violations:
            return
        grade = self.code
        messages = {
            "negative": lambda allowed: self.env._("The limit and the term cannot be negative."),
            "no_credit": lambda allowed: self.env._(
                "Grade %(grade)s allows no credit: the limit and the term must be 0.", grade=grade
            ),
            "limit": lambda allowed: self.env._(
                "The limit %(limit)s exceeds the maximum %(max)s of grade %(grade)s.",
                limit=currency.format(limit),
                max=currency.format(allowed),
                grade=grade,
            ),
            "term": lambda allowed: self.env._(
                "The term of %(term)s days exceeds the maximum of %(max)s days of grade %(grade)s.",
                term=term_days,
                max=allowed,
                grade=grade,
            ),
            "collateral": lambda allowed: self.env._(
                "Grade %(grade)s needs collateral: the limit %(limit)s exceeds the collateral value %(value)s.",
                grade=grade,
                limit=currency.format(limit),
                value=currency.format(allowed),
            ),
        }
        raise ValidationError("\n".join(messages[rule](allowed) for rule, allowed in violations))

    def _raise_if_purchase_bounds_violated(self, partner, limit, term_days, facts, currency):
        """ValidationError when a limit and term go beyond one purchase or one
        purchasing cycle of ``partner`` (the grade's options; ``facts``: its
        policy.PurchaseFacts as the server read them)."""
        self.ensure_one()
        bounds = one_purchase_bounds(self.limit_at_most_one_purchase, self.term_at_most_one_cycle, facts)
        violations = one_purchase_violations(bounds, limit, term_days, currency.rounding)
        if not violations:
            return
        messages = {
            "one_purchase": lambda allowed: self.env._(
                "The limit %(limit)s of %(customer)s is above one purchase (average order %(average)s over "
                "the last %(months)s months, %(count)s orders): grade %(grade)s grants at most one purchase.",
                limit=currency.format(limit),
                customer=partner.display_name,
                average=currency.format(allowed),
                months=facts.window_months,
                count=facts.order_count,
                grade=self.code,
            ),
            "one_cycle": lambda allowed: self.env._(
                "The term of %(term)s days of %(customer)s is longer than one purchasing cycle (an order every "
                "%(cycle)s days on average over the last %(months)s months): grade %(grade)s grants at most one "
                "purchasing cycle.",
                term=term_days,
                customer=partner.display_name,
                cycle=round(allowed, 1),
                months=facts.window_months,
                grade=self.code,
            ),
        }
        raise ValidationError("\n".join(messages[rule](allowed) for rule, allowed in violations))
