from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

from .. import policy
from ..tools import company_date, company_tz, user_date
from .credit_policy_workflow_mixin import is_credit_trusted

OPEN_STATES = ("draft", "to_approve")
#: The proposal and what grades it: what the approvers approve. Frozen once
#: submitted, whatever the context of the call (the reviewers decide through
#: the tier buttons, never by editing the application).
PROPOSAL_FIELDS = {
    "partner_id",
    "company_id",
    "kind",
    "trigger",
    "event_description",
    "reason",
    "line_ids",
    "incomplete_data",
    "red_flag_ids",
    "special_approval",
    "special_approval_note",
    "special_approval_user_id",
    "grade_table_id",
    "suggested_grade_id",
    "collateral_value",
    "proposed_limit",
    "proposed_term_days",
    "limit_deviation_reason",
    "confirmed_conduct",
    "confirmed_operation",
    "confirmed_capital",
}
#: What the proposers write (POLICY.md §3): whoever changes one of them on a
#: draft proposes the evaluation too, and so never approves it.
AUTHORED_FIELDS = frozenset(
    {
        "partner_id",
        "company_id",
        "kind",
        "event_description",
        "reason",
        "line_ids",
        "collateral_value",
        "proposed_limit",
        "proposed_term_days",
        "limit_deviation_reason",
        "confirmed_conduct",
        "confirmed_operation",
        "confirmed_capital",
    }
)
#: The customer's record the limit is proposed from, the proposal it leads to
#: and the figures that decide whether the General Manager approves: computed
#: by the server while a draft, frozen at submission (``facts_snapshot``),
#: never written by a client.
FACTS_FIELDS = (
    "facts_window_months",
    "facts_has_history",
    "facts_monthly_shipments",
    "facts_monthly_payments",
    "facts_days_to_pay",
    "facts_on_time_percent",
    "facts_limit_factor",
    "computed_limit",
    "computed_limit_rule",
    "step_cap_limit",
    "total_limit_cap",
    "total_limits_before",
    "total_cap_exposure",
    "total_exposure",
    "facts_order_count",
    "facts_average_order",
    "facts_purchase_cycle_days",
)
#: The customer's record a grade's prerequisites are judged on (POLICY.md §1,
#: seed 002): computed by the server while a draft, frozen at submission with
#: the other facts, never written by a client.
PREREQUISITE_FACTS_FIELDS = (
    "facts_cooperation_months",
    "facts_last_bad_debt_date",
    "facts_yearly_shipments",
    "facts_yearly_payments",
)


class CreditPolicyEvaluation(models.Model):
    """A credit application: scoring, grade, proposed limit and term, approval
    (信用评估 / 授信审批, POLICY.md §1–3).

    The approval chain is OCA ``tier.validation``; once every tier approved, the
    grade, limit and term are applied to the customer in the evaluation's
    company through ``res.partner._credit_policy_set_master_data``.
    """

    _name = "credit.policy.evaluation"
    _description = "Credit Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.policy.tier.mixin"]
    _credit_decision_depends = (
        "user_id", "submitted_by_id", "create_uid", "co_proposer_ids", "company_id", "review_ids.status",
        "review_ids.done_by",
    )
    _order = "id desc"
    _check_company_auto = True

    #: Set by the workflow, the scheduled reviews and the special approval only.
    _credit_workflow_fields = frozenset(
        {
            "state",
            "approved_date",
            "submitted_by_id",
            "trigger",
            "suggested_grade_id",
            "special_approval_user_id",
            "frozen_grade_id",
            "facts_snapshot",
            "co_proposer_ids",
        }
    )

    _state_from = ["draft", "to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who proposes the evaluation.",
    )
    kind = fields.Selection(
        [
            ("new", "New Customer"),
            ("review", "Re-evaluation"),
            ("event", "Event-triggered Review"),
        ],
        required=True,
        default="new",
        tracking=True,
        help="New customer: first transaction, capped at the grades allowed for new "
        "customers. Event-triggered: a major event (change of ownership, litigation, "
        "policy shock) to be reviewed within 48 hours.",
    )
    trigger = fields.Selection(
        [
            ("manual", "Manual"),
            ("periodic", "Periodic Review"),
            ("poor_payment", "Poor Payment Behaviour"),
            ("good_payment", "Good Payment Record"),
            ("red_flag", "Red Flag"),
            ("crisis", "Crisis Response Level"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    event_description = fields.Text(string="Event")
    deadline = fields.Datetime(
        compute="_compute_deadline", store=True, help="Event-triggered reviews are due 48 hours after creation."
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    reason = fields.Text(string="Application Reason", help="Why the salesperson applies for this grade and credit.")
    line_ids = fields.One2many(
        "credit.policy.evaluation.line",
        "evaluation_id",
        string="Scoring Sheet",
        copy=True,
        default=lambda self: self._default_line_ids(),
    )
    total_score = fields.Float(compute="_compute_scores", store=True)
    repayment_score = fields.Float(compute="_compute_scores", store=True, string="Repayment Score")
    purchase_score = fields.Float(compute="_compute_scores", store=True, string="Purchase Score")
    incomplete_data = fields.Boolean(
        string="Key Data Incomplete",
        compute="_compute_incomplete_data",
        store=True,
        readonly=True,
        tracking=True,
        help="The customer misses key data the company requires (Credit Settings): capped like a new "
        "customer unless a special approval is recorded. Read from the customer's record when the "
        "evaluation is created, read again and submitted; nobody ticks it by hand.",
    )
    key_data_missing = fields.Char(
        string="Missing Key Data",
        compute="_compute_incomplete_data",
        store=True,
        readonly=True,
        help="The key data the customer's record misses, as read when the evaluation was proposed.",
    )
    red_flag_ids = fields.Many2many(
        "credit.policy.red.flag",
        string="Red Flags",
        compute="_compute_red_flag_ids",
        store=True,
        readonly=False,
        help="Active red flags of the customer, taken again when the evaluation is submitted.",
    )
    special_approval = fields.Boolean(
        tracking=True,
        copy=False,
        help="特批: allows a new customer, or one with incomplete data, a grade "
        "otherwise reserved to established customers.",
    )
    special_approval_note = fields.Text(copy=False)
    special_approval_user_id = fields.Many2one(
        "res.users", string="Specially Approved By", readonly=True, copy=False
    )
    grade_table_id = fields.Many2one(
        "credit.policy.grade.table",
        compute="_compute_grade_table_id",
        store=True,
        readonly=True,
    )
    grade_id = fields.Many2one(
        "credit.policy.grade",
        string="Grade",
        compute="_compute_grade",
        store=True,
        tracking=True,
        help="Computed from the scores, the red flags and the new-customer rule while "
        "the evaluation is a draft; frozen when it is submitted: what the approvers "
        "approve does not change when the grade table changes afterwards.",
    )
    frozen_grade_id = fields.Many2one(
        "credit.policy.grade",
        string="Submitted Grade",
        readonly=True,
        copy=False,
        help="The grade as submitted to the approvers; kept whatever happens to the grade table.",
    )
    red_flag_review_ids = fields.One2many(
        "credit.policy.red.flag",
        "evaluation_id",
        string="Red Flags Awaiting This Review",
        readonly=True,
        help="Red flags whose re-evaluation this is: until it is approved or cancelled, "
        "the customer's order confirmations and deliveries are held (a company setting).",
    )
    grade_explanation = fields.Text(compute="_compute_grade_explanation")
    current_grade_id = fields.Many2one(
        "credit.policy.grade", compute="_compute_current", store=True, string="Current Grade"
    )
    current_limit = fields.Monetary(compute="_compute_current", store=True, currency_field="currency_id")
    current_term_days = fields.Integer(compute="_compute_current", store=True, string="Current Term (days)")
    suggested_grade_id = fields.Many2one(
        "credit.policy.grade",
        readonly=True,
        copy=False,
        help="Grade the payment behaviour check suggests; the scoring decides.",
    )
    collateral_value = fields.Monetary(
        compute="_compute_collateral_value",
        store=True,
        readonly=False,
        currency_field="currency_id",
        help="Recorded mortgage or guarantee; caps the limit of grades requiring collateral.",
    )
    # The evaluator's confirmation a grade may need besides the facts (POLICY.md
    # §1, seed 002: grade A needs lawful and reliable conduct, two years of good
    # operation and strong capital).
    confirmed_conduct = fields.Boolean(
        string="Lawful and Reliable Conduct",
        tracking=True,
        copy=False,
        help="The evaluator confirms the customer's lawful and reliable conduct (grades needing the "
        "evaluator's confirmation are given only when all three are ticked).",
    )
    confirmed_operation = fields.Boolean(
        string="Two Years of Good Operation",
        tracking=True,
        copy=False,
        help="The evaluator confirms that the customer has operated well for the last two years.",
    )
    confirmed_capital = fields.Boolean(
        string="Strong Capital",
        tracking=True,
        copy=False,
        help="The evaluator confirms that the customer's capital is strong.",
    )
    facts_cooperation_months = fields.Integer(
        string="Cooperation (months)",
        compute="_compute_prerequisite_facts",
        store=True,
        readonly=True,
        help="Full months since the customer's first posted customer invoice in the company's credit "
        "control area.",
    )
    facts_last_bad_debt_date = fields.Date(
        string="Last Bad Debt",
        compute="_compute_prerequisite_facts",
        store=True,
        readonly=True,
        help="Date of the customer's last red flag of a bad-debt type in the company, lifted or not.",
    )
    facts_yearly_shipments = fields.Monetary(
        string="Shipments, Last 12 Months",
        compute="_compute_prerequisite_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="Posted customer invoices net of credit notes of the last 12 months, in company currency.",
    )
    facts_yearly_payments = fields.Monetary(
        string="Payments, Last 12 Months",
        compute="_compute_prerequisite_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="The customer's payments applied to his invoices in the last 12 months, in company currency.",
    )
    proposed_limit = fields.Monetary(
        tracking=True,
        currency_field="currency_id",
        help="Defaults to the grade's default limit; may not exceed the grade's maximum.",
    )
    proposed_term_days = fields.Integer(
        string="Proposed Term (days)",
        tracking=True,
        help="Defaults to the grade's maximum term.",
    )

    # ------------------------------------------------------------------
    # A limit proposed from facts (POLICY.md §2; seeds 000, 002)
    # ------------------------------------------------------------------
    facts_snapshot = fields.Json(
        readonly=True,
        copy=False,
        help="The facts, the proposal from facts and the cap figures as submitted to the approvers.",
    )
    facts_window_months = fields.Integer(
        string="Facts Window (months)", compute="_compute_facts", store=True, readonly=True
    )
    facts_has_history = fields.Boolean(
        string="Has Invoiced Sales", compute="_compute_facts", store=True, readonly=True
    )
    facts_monthly_shipments = fields.Monetary(
        string="Avg. Monthly Shipments (Invoiced)",
        compute="_compute_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="The goods shipped to the customer as invoiced: posted customer invoices net of credit notes "
        "in the window, per month, in company currency (what the customer owes for them, goods "
        "returned or credited excluded).",
    )
    facts_monthly_payments = fields.Monetary(
        string="Avg. Monthly Payments",
        compute="_compute_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="The customer's payments applied to his invoices in the window, per month, in company currency "
        "at the rate of the day he paid. Credit notes and exchange differences are no payments.",
    )
    facts_days_to_pay = fields.Float(
        string="Avg. Days-to-Pay",
        digits=(16, 1),
        compute="_compute_facts",
        store=True,
        readonly=True,
        help="Payment date minus invoice date, weighted by the amount paid, over the payments of the window.",
    )
    facts_on_time_percent = fields.Float(
        string="Paid on Time (%)",
        digits=(16, 1),
        compute="_compute_facts",
        store=True,
        readonly=True,
        help="Share of the amount paid in the window that was paid by the invoice's due date.",
    )
    facts_limit_factor = fields.Float(
        string="Monthly Limit Factor", digits=(16, 2), compute="_compute_facts", store=True, readonly=True
    )
    computed_limit = fields.Monetary(
        string="Limit from Facts",
        compute="_compute_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="The limit the customer's record and the grade propose.",
    )
    computed_limit_rule = fields.Text(
        string="How the Limit Was Proposed", compute="_compute_facts", store=True, readonly=True
    )
    step_cap_limit = fields.Monetary(
        string="Step Cap",
        compute="_compute_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="The last approved limit raised by the company's maximum increase per step: "
        "above it, the General Manager approves. 0: no previous limit.",
    )
    total_limit_cap = fields.Monetary(
        string="Total Credit Cap", compute="_compute_facts", store=True, readonly=True, currency_field="currency_id"
    )
    total_limits_before = fields.Monetary(
        string="Total Granted Now",
        compute="_compute_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="Sum of the limits granted to all customers of the company.",
    )
    total_cap_exposure = fields.Boolean(compute="_compute_facts", store=True, readonly=True)
    total_exposure = fields.Monetary(
        string="Total Exposure Now", compute="_compute_facts", store=True, readonly=True, currency_field="currency_id"
    )
    facts_order_count = fields.Integer(
        string="Confirmed Orders",
        compute="_compute_facts",
        store=True,
        readonly=True,
        help="The customer's confirmed sale orders in the facts window (the credit area's companies).",
    )
    facts_average_order = fields.Monetary(
        string="Avg. Order Value",
        compute="_compute_facts",
        store=True,
        readonly=True,
        currency_field="currency_id",
        help="One purchase: the average total of the customer's confirmed orders in the window, in "
        "company currency. A grade granting at most one purchase caps the limit at it.",
    )
    facts_purchase_cycle_days = fields.Float(
        string="Purchasing Cycle (days)",
        digits=(16, 1),
        compute="_compute_facts",
        store=True,
        readonly=True,
        help="Average days between consecutive days the customer ordered on in the window; 0 with fewer "
        "than two. A grade granting at most one purchasing cycle caps the term at it.",
    )
    total_limits_after = fields.Monetary(
        string="Total Granted After", compute="_compute_general_manager", store=True, currency_field="currency_id"
    )
    limit_deviation_reason = fields.Text(
        string="Reason for Another Limit",
        tracking=True,
        help="Why the proposed limit differs from the limit from facts; the approvers see it.",
    )
    needs_general_manager = fields.Boolean(
        string="General Manager Approves",
        compute="_compute_general_manager",
        store=True,
        help="The proposed limit is above the company's General Manager threshold, raises the limit "
        "beyond the step cap, or the company's total credit beyond its cap: the General Manager's tier "
        "applies.",
    )
    general_manager_reason = fields.Text(
        string="Why the General Manager", compute="_compute_general_manager", store=True
    )

    submitted_by_id = fields.Many2one("res.users", string="Submitted By", readonly=True, copy=False)
    co_proposer_ids = fields.Many2many(
        "res.users",
        "credit_policy_evaluation_co_proposer_rel",
        "evaluation_id",
        "user_id",
        string="Also Proposed By",
        readonly=True,
        copy=False,
        help="Who changed the proposal (limit, term, scores...) besides the salesperson: they proposed it "
        "too, and none of them approves it (four-eyes principle).",
    )
    approved_date = fields.Datetime(readonly=True, copy=False)
    history_ids = fields.One2many("credit.policy.limit.history", "evaluation_id", readonly=True)
    is_proposer = fields.Boolean(
        compute="_compute_is_proposer",
        help="The current user proposed or submitted this evaluation (or is a Credit Manager): "
        "he may reset, cancel or restart it; the approvers decide through the approval buttons.",
    )
    # What the current user's buttons may do besides is_proposer (see
    # credit.policy.workflow.mixin): each calls its server check's helper.
    credit_can_edit = fields.Boolean(
        string="You May Change",
        compute="_compute_credit_buttons",
        help="You may change this evaluation (submitting it freezes its red flags): "
        "approvers and credit officers only read it.",
    )
    credit_can_cancel = fields.Boolean(string="You May Cancel", compute="_compute_credit_buttons")

    @api.depends_context("uid")
    @api.depends("user_id", "submitted_by_id", "create_uid", "co_proposer_ids")
    def _compute_is_proposer(self):
        user = self.env.user
        is_manager = user.has_group("credit_policy.group_credit_policy_manager")
        for evaluation in self:
            evaluation.is_proposer = (
                is_manager or not evaluation._origin.id or user in evaluation.sudo()._credit_requesters()
            )

    @api.depends_context("uid")
    @api.depends("user_id", "submitted_by_id", "create_uid", "partner_id.user_id", "state", "red_flag_review_ids")
    def _compute_credit_buttons(self):
        for evaluation in self:
            origin = evaluation._origin
            if not origin.id:
                evaluation.credit_can_edit = evaluation.credit_can_cancel = True
                continue
            evaluation.credit_can_edit = origin._credit_can_write()
            evaluation.credit_can_cancel = not origin._credit_cancel_error()

    def _credit_can_write(self):
        """Whether the current user may write this evaluation: the ORM's own
        check, the one action_refresh_red_flags (and so Submit) meets."""
        self.ensure_one()
        return self.has_access("write")

    def _credit_cancel_error(self):
        """The exception refusing the current user's cancelling of this
        evaluation, or None: its proposer or a Credit Manager cancels an open
        evaluation; the re-evaluation of a red flag, only a Credit Manager."""
        self.ensure_one()
        if not self.env.su and not self.is_proposer:
            return self._credit_proposer_error()
        if self.state not in OPEN_STATES:
            return UserError(self.env._("Only open evaluations can be cancelled."))
        if self.sudo().red_flag_review_ids and not self.env.user.has_group(
            "credit_policy.group_credit_policy_manager"
        ):
            # Cancelling it lifts the red flag hold: a decision, not a salesperson's.
            return AccessError(
                self.env._(
                    "%(name)s is the re-evaluation of a red flag: only a Credit Manager cancels it.",
                    name=self.name,
                )
            )
        return None

    def _credit_proposer_error(self):
        return AccessError(
            self.env._(
                "%(name)s: only its proposer or a Credit Manager may reset, cancel or restart it; "
                "approvers approve or reject their step.",
                name=self.display_name,
            )
        )

    def _check_proposer(self):
        """Resetting, cancelling or restarting the approval is the proposer's
        (or a Credit Manager's) decision, not an approver's."""
        if self.env.su:
            return
        for evaluation in self:
            if not evaluation.is_proposer:
                raise evaluation._credit_proposer_error()

    @api.model
    def _default_line_ids(self):
        criteria = self.env["credit.policy.criterion"].search([("company_id", "=", self.env.company.id)])
        return [Command.create({"criterion_id": criterion.id}) for criterion in criteria]

    @api.depends("kind", "create_date")
    def _compute_deadline(self):
        for evaluation in self:
            if evaluation.kind == "event":
                evaluation.deadline = (evaluation.create_date or fields.Datetime.now()) + timedelta(hours=48)
            else:
                evaluation.deadline = False

    @api.depends("line_ids.points", "line_ids.role")
    def _compute_scores(self):
        for evaluation in self:
            lines = evaluation.line_ids
            evaluation.total_score = sum(lines.mapped("points"))
            evaluation.repayment_score = sum(lines.filtered(lambda l: l.role == "repayment").mapped("points"))
            evaluation.purchase_score = sum(lines.filtered(lambda l: l.role == "purchase").mapped("points"))

    def _auto_init(self):
        # Key Data Incomplete used to be ticked by hand: the evaluations made
        # before keep what their proposer and approvers saw. Creating the new
        # column beforehand keeps the ORM from computing both fields (one
        # method) again for every existing evaluation on upgrade.
        cr = self.env.cr
        if table_exists(cr, self._table) and not column_exists(cr, self._table, "key_data_missing"):
            create_column(cr, self._table, "key_data_missing", "varchar")
        return super()._auto_init()

    @api.depends("partner_id", "company_id")
    def _compute_incomplete_data(self):
        """From the customer's record at proposal time (creation, "Read the
        Record Again", submission): the partner and the company are frozen
        once submitted, so is the verdict the approvers see."""
        for company in self.company_id:
            evaluations = self.filtered(lambda e, c=company: e.company_id == c and e.partner_id)
            missing = company._credit_missing_key_data(evaluations.partner_id)
            for evaluation in evaluations:
                labels = missing[evaluation.partner_id.id]
                evaluation.incomplete_data = bool(labels)
                evaluation.key_data_missing = ", ".join(labels) or False
        self.filtered(lambda e: not (e.company_id and e.partner_id)).update(
            {"incomplete_data": False, "key_data_missing": False}
        )

    @api.depends("partner_id", "company_id")
    def _compute_red_flag_ids(self):
        for evaluation in self:
            evaluation.red_flag_ids = evaluation._active_red_flags()

    @api.depends("company_id", "state", "frozen_grade_id")
    def _compute_grade_table_id(self):
        for evaluation in self:
            if evaluation._grade_frozen():
                evaluation.grade_table_id = evaluation.frozen_grade_id.table_id
            else:
                evaluation.grade_table_id = evaluation.company_id.credit_grade_table_id

    def _grade_frozen(self):
        """Submitted, approved or cancelled: the grade is the one submitted."""
        self.ensure_one()
        return self.state != "draft" and bool(self.frozen_grade_id)

    @api.depends(
        "state",
        "frozen_grade_id",
        "grade_table_id.grade_ids",
        "grade_table_id.grade_ids.sequence",
        "grade_table_id.grade_ids.min_score",
        "grade_table_id.grade_ids.min_repayment_score",
        "grade_table_id.grade_ids.min_purchase_score",
        "grade_table_id.grade_ids.new_customer_allowed",
        "grade_table_id.grade_ids.min_cooperation_months",
        "grade_table_id.grade_ids.bad_debt_free_years",
        "grade_table_id.grade_ids.min_yearly_volume",
        "grade_table_id.grade_ids.conduct_confirmation_required",
        "grade_table_id.red_flag_grade_id",
        "total_score",
        "repayment_score",
        "purchase_score",
        "red_flag_ids",
        "kind",
        "incomplete_data",
        "special_approval",
        "facts_cooperation_months",
        "facts_last_bad_debt_date",
        "facts_yearly_shipments",
        "facts_yearly_payments",
        "confirmed_conduct",
        "confirmed_operation",
        "confirmed_capital",
    )
    def _compute_grade(self):
        for evaluation in self:
            if evaluation._grade_frozen():
                evaluation.grade_id = evaluation.frozen_grade_id
                continue
            grades, result = evaluation._grade_result()
            evaluation.grade_id = grades[result.index] if result else False

    @api.depends("grade_id")
    def _compute_grade_explanation(self):
        for evaluation in self:
            if evaluation._grade_frozen():
                explanation = self.env._(
                    "Grade %(grade)s as submitted to the approvers; later changes of the grade "
                    "table do not change it.",
                    grade=evaluation.frozen_grade_id.code,
                )
                grades, result = evaluation._grade_result()
                if result and grades[result.index] == evaluation.frozen_grade_id:
                    # The same rules still lead to it: say how.
                    explanation += "\n" + evaluation._explain_grade(result.steps, grades, result.trail)
                evaluation.grade_explanation = explanation
                continue
            grades, result = evaluation._grade_result()
            evaluation.grade_explanation = (
                evaluation._explain_grade(result.steps, grades, result.trail)
                if result
                else self.env._("The company has no credit grade table.")
            )

    def _grade_result(self):
        """The grades of the table (best first) and the policy's verdict on them."""
        self.ensure_one()
        grades = self.grade_table_id.grade_ids.sorted(lambda g: (g.sequence, g.id))
        if not grades:
            return grades, None
        forced = self.grade_table_id._red_flag_grade()
        failures = None
        if grades._has_prerequisites():
            record = self._credit_customer_record()
            today = fields.Date.context_today(self)
            failures = [grade._prerequisite_failures(record, today) for grade in grades]
        return grades, policy.compute_grade(
            [grade._grade_rule() for grade in grades],
            self.total_score,
            self.repayment_score,
            self.purchase_score,
            has_red_flag=bool(self.red_flag_ids),
            is_new_or_incomplete=self.kind == "new" or self.incomplete_data or self._is_new_customer(),
            special_approval=self.special_approval,
            red_flag_index=list(grades).index(forced) if forced in grades else None,
            prerequisite_failures=failures,
        )

    def _credit_customer_record(self, facts=None):
        """The customer's record a grade's prerequisites are judged on: the
        stored facts of the evaluation, or ``facts`` (see
        :meth:`_credit_prerequisite_facts`) read afresh, with the evaluator's
        confirmations."""
        self.ensure_one()
        if facts is None:
            facts = {name: self[name] for name in PREREQUISITE_FACTS_FIELDS}
        return self._credit_record_of(
            facts, self.confirmed_conduct and self.confirmed_operation and self.confirmed_capital
        )

    @api.model
    def _credit_record_of(self, facts, confirmed):
        """policy.CustomerRecord of prerequisite ``facts`` (see
        :meth:`_credit_prerequisite_facts`) and the confirmation of conduct,
        operation and capital."""
        return policy.CustomerRecord(
            facts["facts_cooperation_months"],
            facts["facts_last_bad_debt_date"] or None,
            facts["facts_yearly_shipments"],
            facts["facts_yearly_payments"],
            bool(confirmed),
        )

    @api.depends("partner_id", "company_id", "state", "facts_snapshot")
    def _compute_prerequisite_facts(self):
        live = self.browse()
        for evaluation in self:
            if evaluation._facts_frozen():
                snapshot = evaluation.facts_snapshot
                evaluation.update(
                    {
                        name: evaluation._fields[name].convert_to_cache(snapshot.get(name, False), evaluation)
                        for name in PREREQUISITE_FACTS_FIELDS
                    }
                )
            else:
                live |= evaluation
        today = fields.Date.context_today(self)
        graded = live.filtered(lambda e: e.company_id and e.partner_id)
        for company in graded.company_id:
            evaluations = graded.filtered(lambda e, c=company: e.company_id == c)
            facts = self._credit_prerequisite_facts(company, evaluations.partner_id.commercial_partner_id, today)
            for evaluation in evaluations:
                evaluation.update(facts[evaluation.partner_id.commercial_partner_id.id])
        (live - graded).update(dict.fromkeys(PREREQUISITE_FACTS_FIELDS, False))

    @api.model
    def _credit_prerequisite_facts(self, company, partners, today):
        """{commercial partner id: prerequisite facts} of these customers in
        ``company`` (POLICY.md §1, seed 002), set-based: full months since the
        first posted customer invoice in the company's credit control area, the
        date of the last red flag of a bad-debt type in that area (lifted ones
        too: the debt happened), and the shipments and payments of the last 12
        months in company currency (:meth:`_credit_customer_facts`)."""
        result = {
            partner.id: {
                "facts_cooperation_months": 0,
                "facts_last_bad_debt_date": False,
                "facts_yearly_shipments": 0.0,
                "facts_yearly_payments": 0.0,
            }
            for partner in partners
        }
        if not partners:
            return result
        companies = self.env["credit.policy.check"]._credit_area_company_ids(company)
        # Sudo: the proposer need not read invoices nor red flags to be graded from them.
        for partner, first in self.env["account.move"].sudo()._read_group(
            [
                ("commercial_partner_id", "in", partners.ids),
                ("company_id", "in", list(companies)),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("invoice_date", "!=", False),
            ],
            ["commercial_partner_id"],
            ["invoice_date:min"],
        ):
            delta = relativedelta(today, first)
            result[partner.id]["facts_cooperation_months"] = max(delta.years * 12 + delta.months, 0)
        for partner, last in (
            self.env["credit.policy.red.flag"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "in", list(companies)),
                    ("type_id.bad_debt", "=", True),
                ],
                ["partner_id"],
                ["date:max"],
            )
        ):
            result[partner.id]["facts_last_bad_debt_date"] = last
        yearly = self._credit_customer_facts(company, partners.ids, today, months=12)
        for partner_id, facts in yearly.items():
            result[partner_id].update(
                {
                    "facts_yearly_shipments": company.currency_id.round(facts.get("shipments", 0.0)),
                    "facts_yearly_payments": company.currency_id.round(facts.get("payments", 0.0)),
                }
            )
        return result

    def _raise_if_grade_prerequisites_failed(self):
        """Refuse to submit or approve a grade whose prerequisites the customer
        does not meet, judged on his record read afresh now (never on what the
        evaluation holds) and on the evaluator's confirmations."""
        today = fields.Date.context_today(self)
        for company in self.company_id:
            evaluations = self.filtered(lambda e, c=company: e.company_id == c and e.grade_id._has_prerequisites())
            if not evaluations:
                continue
            facts = self._credit_prerequisite_facts(company, evaluations.partner_id.commercial_partner_id, today)
            for evaluation in evaluations:
                record = evaluation._credit_customer_record(facts[evaluation.partner_id.commercial_partner_id.id])
                failures = evaluation.grade_id._prerequisite_failures(record, today)
                if failures:
                    raise ValidationError(
                        self.env._(
                            "%(name)s cannot give grade %(grade)s to %(customer)s: %(reasons)s.",
                            name=evaluation.name,
                            grade=evaluation.grade_id.code,
                            customer=evaluation.partner_id.display_name,
                            reasons="; ".join(evaluation.grade_id._prerequisite_messages(failures, record)),
                        )
                    )

    def _is_new_customer(self):
        """New customer (POLICY.md §2): nothing approved and nothing invoiced
        yet for this customer in this company's credit control area (its root
        and branches). Read from the facts, not from the kind the salesperson
        chose, so that "Re-evaluation" cannot lift the new-customer cap."""
        self.ensure_one()
        if not self.partner_id:
            return True
        partner = self.partner_id.commercial_partner_id
        check = self.env["credit.policy.check"]
        companies = check._credit_area_company_ids(self.company_id)
        # a credit group head's record is its group's
        group = check._credit_groups(partner, check._credit_area(self.company_id))[partner.id]
        approved = (
            self.sudo()
            .search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "in", companies),
                    ("state", "=", "approved"),
                    ("id", "!=", self._origin.id or 0),
                ],
                limit=1,
            )
        )
        if approved:
            return False
        invoiced = (
            self.env["account.move"]
            .sudo()
            .search_count(
                [
                    ("commercial_partner_id", "in", group),
                    ("company_id", "in", companies),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ],
                limit=1,
            )
        )
        return not invoiced

    def _explain_grade(self, steps, grades, trail=()):
        """One sentence per rule applied, each naming the grade it started
        from and the grade it led to ("Score band of 85 points: grade AA."
        then "Grade AA capped at A for a new customer ...")."""
        trail = list(trail) or [None] * len(steps)
        codes = [grades[index].code if index is not None else "" for index in trail]
        lines = []
        for position, step in enumerate(steps):
            grade = codes[position]
            before = codes[position - 1] if position else grade
            if step == "band":
                lines.append(
                    self.env._("Score band of %(total)s points: grade %(grade)s.", total=self.total_score, grade=grade)
                )
            elif step == "sub_score":
                lines.append(
                    self.env._(
                        "Grade %(before)s lowered one level to %(grade)s: repayment (%(repayment)s) or "
                        "purchases (%(purchase)s) below the band's minimum.",
                        before=before,
                        grade=grade,
                        repayment=self.repayment_score,
                        purchase=self.purchase_score,
                    )
                )
            elif step == "red_flag":
                lines.append(
                    self.env._("Red flag: grade %(before)s forced to %(grade)s.", before=before, grade=grade)
                )
            elif step == "prerequisites":
                unmet = grades[trail[position - 1]] if position else grades[trail[position]]
                record = self._credit_customer_record()
                failures = unmet._prerequisite_failures(record, fields.Date.context_today(self))
                lines.append(
                    self.env._(
                        "Grade %(before)s lowered to %(grade)s, the best grade whose prerequisites are met: "
                        "%(reasons)s.",
                        before=before,
                        grade=grade,
                        reasons="; ".join(unmet._prerequisite_messages(failures, record)),
                    )
                )
            elif step == "new_customer":
                lines.append(
                    self.env._(
                        "Grade %(before)s capped at %(grade)s for a new customer or incomplete data "
                        "without special approval.",
                        before=before,
                        grade=grade,
                    )
                )
                if self.incomplete_data:
                    lines.append(self.env._("Missing key data: %(data)s.", data=self.key_data_missing))
        return "\n".join(lines)

    @api.depends("partner_id", "company_id")
    def _compute_current(self):
        for evaluation in self:
            partner = evaluation.partner_id.with_company(evaluation.company_id).sudo()
            evaluation.current_grade_id = partner.credit_grade_id
            evaluation.current_limit = partner.credit_limit
            evaluation.current_term_days = partner.credit_term_days

    @api.depends("partner_id", "company_id")
    def _compute_collateral_value(self):
        for evaluation in self:
            partner = evaluation.partner_id.with_company(evaluation.company_id).sudo()
            evaluation.collateral_value = partner.credit_collateral_value

    # ------------------------------------------------------------------
    # The limit from facts and the General Manager's tier
    # ------------------------------------------------------------------

    def _facts_frozen(self):
        """Submitted, approved or cancelled: the facts are the ones submitted."""
        self.ensure_one()
        return self.state != "draft" and bool(self.facts_snapshot)

    @api.depends(
        "partner_id",
        "company_id",
        "state",
        "facts_snapshot",
        "current_limit",
        "grade_id",
        "grade_id.limit_band_ids.max_days_to_pay",
        "grade_id.limit_band_ids.factor",
        "grade_id.max_limit",
        "grade_id.default_limit",
        "grade_id.collateral_required",
        "collateral_value",
        "grade_id.limit_at_most_one_purchase",
    )
    def _compute_facts(self):
        live = self.browse()
        for evaluation in self:
            if evaluation._facts_frozen():
                snapshot = evaluation.facts_snapshot
                evaluation.update({name: snapshot.get(name, False) for name in FACTS_FIELDS})
            else:
                live |= evaluation
        today = fields.Date.context_today(self)
        for company in live.company_id:
            evaluations = live.filtered(lambda e, c=company: e.company_id == c)
            facts = self._credit_account_facts(company, evaluations.partner_id.commercial_partner_id, today)
            purchases = self._credit_purchase_facts(company, evaluations.partner_id.commercial_partner_id, today)
            totals = {
                "total_limit_cap": company.credit_total_limit_cap,
                "total_limits_before": company._credit_total_granted_limits() if company.credit_total_limit_cap else 0.0,
                "total_cap_exposure": company.credit_total_cap_exposure,
                "total_exposure": (
                    company._credit_total_exposure()
                    if company.credit_total_limit_cap and company.credit_total_cap_exposure
                    else 0.0
                ),
            }
            for evaluation in evaluations:
                values = evaluation._credit_limit_from_facts(facts.get(evaluation.partner_id.id, {}), company)
                purchase = purchases.get(evaluation.partner_id.id) or policy.PurchaseFacts(
                    values["facts_window_months"], 0, None, None
                )
                values.update(evaluation._credit_one_purchase_values(purchase, values))
                evaluation.update({**values, **totals})
        (self - live.filtered("company_id")).filtered(lambda e: not e._facts_frozen()).update(
            {name: False for name in FACTS_FIELDS}
        )

    @api.model
    def _credit_account_facts(self, company, partners, today):
        """{partner id: facts} of these customers (see
        :meth:`_credit_customer_facts`); a credit group head's are its
        group's, members included: the limit it holds is the group's. Days
        to pay and the share paid on time are weighted by the payments."""
        check = self.env["credit.policy.check"]
        groups = check._credit_groups(partners, check._credit_area(company))
        facts = self._credit_customer_facts(company, list({pid for group in groups.values() for pid in group}), today)
        result = {}
        for account_id, group in groups.items():
            parts = [facts[partner_id] for partner_id in group if partner_id in facts]
            if not parts:
                continue
            paid = sum(part.get("payments", 0.0) for part in parts)

            def weighted(key, parts=parts, paid=paid):
                return sum(part.get(key, 0.0) * part.get("payments", 0.0) for part in parts) / paid if paid else 0.0

            result[account_id] = {
                "window": parts[0]["window"],
                "shipments": sum(part.get("shipments", 0.0) for part in parts),
                "payments": paid,
                "days_to_pay": weighted("days_to_pay"),
                "on_time": weighted("on_time"),
            }
        return result

    @api.model
    def _credit_customer_facts(self, company, partner_ids, today, months=None):
        """{commercial partner id: facts} of the company's customers over the
        company's window, in company currency, its branches' invoices
        included (one credit control area), from two grouped queries:
        invoiced sales (posted invoices net of credit notes), and the
        customer's payments applied to their invoices (neither credit notes
        nor exchange difference entries: the rule of
        :meth:`credit.policy.check._sql_item_settlements`), each valued at the
        rate of the day it was paid, with the days from invoice date to
        payment weighted by amount and the share paid by the due date.
        ``months``: another window than the company's."""
        if not partner_ids:
            return {}
        window = max(months or company.credit_facts_window_months, 1)
        companies = self.env["credit.policy.check"]._credit_area_company_ids(company)
        end = fields.Date.add(today, days=1)
        start = fields.Date.subtract(end, months=window)
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "company_id", "state", "move_type", "invoice_date", "amount_total_signed"]
        )
        self.env["account.move.line"].flush_model(["move_id", "account_id", "company_id", "date_maturity"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["account.partial.reconcile"].flush_model()
        facts = {
            partner_id: {"window": window, "shipments": shipments or 0.0}
            for partner_id, shipments in self.env.execute_query(
                SQL(
                    """
                    SELECT m.commercial_partner_id, SUM(m.amount_total_signed)
                      FROM account_move m
                     WHERE m.company_id IN %(companies)s
                       AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND m.commercial_partner_id IN %(partners)s
                       AND m.invoice_date >= %(start)s AND m.invoice_date < %(end)s
                     GROUP BY 1
                    """,
                    companies=companies,
                    partners=tuple(partner_ids),
                    start=start,
                    end=end,
                )
            )
        }
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       SUM(s.amount),
                       SUM(s.amount * GREATEST(s.settled_on - m.invoice_date, 0)) / NULLIF(SUM(s.amount), 0),
                       SUM(s.amount) FILTER (WHERE s.settled_on <= COALESCE(l.date_maturity, m.invoice_date))
                           / NULLIF(SUM(s.amount), 0)
                  FROM (%(settlements)s) s
                  JOIN account_move_line l ON l.id = s.line_id
                  JOIN account_move m ON m.id = l.move_id
                 WHERE s.kind = 'payment'
                   AND m.state = 'posted'
                   AND m.move_type = 'out_invoice'
                   AND m.commercial_partner_id IN %(partners)s
                   AND s.settled_on >= %(start)s AND s.settled_on < %(end)s
                 GROUP BY 1
                """,
                settlements=self.env["credit.policy.check"]._sql_item_settlements(companies),
                partners=tuple(partner_ids),
                start=start,
                end=end,
            )
        )
        for partner_id, paid, days, on_time in rows:
            facts.setdefault(partner_id, {"window": window, "shipments": 0.0}).update(
                {"payments": paid or 0.0, "days_to_pay": float(days or 0.0), "on_time": float(on_time or 0.0)}
            )
        return facts

    def _credit_limit_from_facts(self, facts, company):
        """The facts fields of this evaluation: the customer's averages, the
        band of its grade they fall in, and the limit they propose with the
        rules that produced it."""
        self.ensure_one()
        currency = company.currency_id
        window = facts.get("window") or max(company.credit_facts_window_months, 1)
        shipments = currency.round(facts.get("shipments", 0.0) / window)
        payments = currency.round(facts.get("payments", 0.0) / window)
        days = facts.get("days_to_pay", 0.0)
        has_history = bool(facts.get("shipments") or facts.get("payments"))
        grade = self.grade_id
        step_cap = policy.limit_step_cap(self.current_limit, company.credit_max_limit_increase_percent)
        values = {
            "facts_window_months": window,
            "facts_has_history": has_history,
            "facts_monthly_shipments": shipments,
            "facts_monthly_payments": payments,
            "facts_days_to_pay": round(days, 1),
            "facts_on_time_percent": round(facts.get("on_time", 0.0) * 100, 1),
            "step_cap_limit": currency.round(step_cap) if step_cap is not None else 0.0,
            "facts_limit_factor": 0.0,
        }
        if not grade:
            return {**values, "computed_limit": 0.0, "computed_limit_rule": self.env._("No grade yet: no limit.")}
        if not grade._grants_credit():
            return {
                **values,
                "computed_limit": 0.0,
                "computed_limit_rule": self.env._("Grade %(grade)s grants no credit.", grade=grade.code),
            }
        collateral = self.collateral_value if grade.collateral_required else None
        if not has_history:
            limit = min(grade.default_limit, grade.max_limit)
            rule = self.env._(
                "No invoiced sales or payments in the last %(months)s months: the default limit "
                "%(limit)s of grade %(grade)s.",
                months=window,
                limit=currency.format(limit),
                grade=grade.code,
            )
            if collateral is not None and limit > collateral:
                limit = max(collateral, 0.0)
                rule += "\n" + self._explain_collateral_cap(limit, grade, currency)
            if step_cap is not None and limit > step_cap:
                limit = step_cap
                rule += "\n" + self._explain_step_cap(step_cap, company)
            return {**values, "computed_limit": currency.round(limit), "computed_limit_rule": rule}
        factor, max_days = policy.limit_band_factor([band._band_rule() for band in grade.limit_band_ids], days)
        limit, steps = policy.limit_from_facts(factor, shipments, payments, grade.max_limit, step_cap, collateral)
        lines = []
        for rule, amount in steps:
            if rule == "facts":
                band = (
                    self.env._("within %(days)s days", days=max_days)
                    if max_days
                    else self.env._("any delay")
                    if grade.limit_band_ids
                    else self.env._("no band defined")
                )
                lines.append(
                    self.env._(
                        "Average %(days)s days to pay over %(months)s months: band %(band)s of grade "
                        "%(grade)s, factor %(factor)s. %(factor)s x the smaller of monthly shipments "
                        "%(shipments)s and payments %(payments)s = %(limit)s.",
                        days=round(days, 1),
                        months=window,
                        band=band,
                        grade=grade.code,
                        factor=factor,
                        shipments=currency.format(shipments),
                        payments=currency.format(payments),
                        limit=currency.format(amount),
                    )
                )
            elif rule == "monthly":
                lines.append(
                    self.env._(
                        "Capped at %(monthly)s: a limit never exceeds the customer's average monthly "
                        "shipments and payments.",
                        monthly=currency.format(amount),
                    )
                )
            elif rule == "grade_max":
                lines.append(
                    self.env._(
                        "Capped at the maximum %(max)s of grade %(grade)s.",
                        max=currency.format(amount),
                        grade=grade.code,
                    )
                )
            elif rule == "collateral":
                lines.append(self._explain_collateral_cap(amount, grade, currency))
            elif rule == "step":
                lines.append(self._explain_step_cap(amount, company))
        return {
            **values,
            "facts_limit_factor": factor,
            "computed_limit": currency.round(limit),
            "computed_limit_rule": "\n".join(lines),
        }

    def _explain_collateral_cap(self, collateral, grade, currency):
        return self.env._(
            "Capped at the collateral value %(value)s: grade %(grade)s grants credit only against collateral.",
            value=currency.format(collateral),
            grade=grade.code,
        )

    def _explain_step_cap(self, step_cap, company):
        return self.env._(
            "Capped at %(cap)s: the last approved limit %(limit)s plus %(percent)s%% per step; "
            "more needs the General Manager.",
            cap=company.currency_id.format(step_cap),
            limit=company.currency_id.format(self.current_limit),
            percent=company.credit_max_limit_increase_percent,
        )

    @api.depends(
        "company_id",
        "grade_id.collateral_required",
        "facts_has_history",
        "facts_monthly_shipments",
        "facts_monthly_payments",
        "proposed_limit",
        "current_limit",
        "step_cap_limit",
        "total_limit_cap",
        "total_limits_before",
        "total_cap_exposure",
        "total_exposure",
    )
    def _compute_general_manager(self):
        for evaluation in self:
            currency = evaluation.currency_id
            reasons = []
            threshold = evaluation.company_id.credit_general_manager_limit
            if policy.above_general_manager_limit(evaluation.proposed_limit, threshold, currency.rounding):
                reasons.append(
                    self.env._(
                        "The proposed limit %(limit)s is above %(threshold)s, which the General Manager approves.",
                        limit=currency.format(evaluation.proposed_limit),
                        threshold=currency.format(threshold),
                    )
                )
            monthly = min(evaluation.facts_monthly_shipments, evaluation.facts_monthly_payments)
            if (
                evaluation.grade_id.collateral_required and evaluation.facts_has_history
                and policy.above_step_cap(evaluation.proposed_limit, monthly, currency.rounding)
            ):
                # seed 002 (B of A/B/C): at most the average monthly shipments and payments
                reasons.append(
                    self.env._(
                        "The proposed limit %(limit)s of a grade granting credit against collateral is above the "
                        "customer's average monthly shipments and payments (%(monthly)s).",
                        limit=currency.format(evaluation.proposed_limit),
                        monthly=currency.format(monthly),
                    )
                )
            step_cap = evaluation.step_cap_limit or None
            if policy.above_step_cap(evaluation.proposed_limit, step_cap):
                reasons.append(
                    self.env._(
                        "The proposed limit %(limit)s raises the last approved limit %(current)s above "
                        "the step cap %(cap)s.",
                        limit=currency.format(evaluation.proposed_limit),
                        current=currency.format(evaluation.current_limit),
                        cap=currency.format(step_cap),
                    )
                )
            cap = evaluation.total_limit_cap
            # A group member's limit is a sub-limit within its head's: it grants nothing more.
            granted = (0.0, 0.0) if evaluation.partner_id.credit_group_head_id else (
                evaluation.current_limit, evaluation.proposed_limit
            )
            exceeded, new_total = policy.total_cap_exceeded(cap, evaluation.total_limits_before, *granted)
            evaluation.total_limits_after = new_total if cap else 0.0
            if exceeded:
                reasons.append(
                    self.env._(
                        "The customers' granted limits would total %(new_total)s (now %(total)s), above "
                        "the company's cap of %(cap)s.",
                        new_total=currency.format(new_total),
                        total=currency.format(evaluation.total_limits_before),
                        cap=currency.format(cap),
                    )
                )
            if cap and evaluation.total_cap_exposure:
                exceeded, new_exposure = policy.total_cap_exceeded(
                    cap, evaluation.total_exposure, evaluation.current_limit, evaluation.proposed_limit
                )
                if exceeded:
                    reasons.append(
                        self.env._(
                            "The customers' exposure of %(exposure)s plus this raise (%(new_total)s) "
                            "exceeds the company's cap of %(cap)s.",
                            exposure=currency.format(evaluation.total_exposure),
                            new_total=currency.format(new_exposure),
                            cap=currency.format(cap),
                        )
                    )
            evaluation.needs_general_manager = bool(reasons)
            evaluation.general_manager_reason = "\n".join(reasons) or False

    def _credit_facts_values(self):
        """The facts as they stand, for the snapshot the approvers approve."""
        self.ensure_one()
        return {
            name: self._fields[name].convert_to_write(self[name], self)
            for name in FACTS_FIELDS + PREREQUISITE_FACTS_FIELDS
        }

    def _credit_freeze_facts(self):
        """Compute the facts afresh and freeze them (submission)."""
        self.filtered(lambda e: e.state == "draft").action_refresh_facts()
        for evaluation in self:
            evaluation._credit_write_snapshot(evaluation._credit_facts_values())

    def _credit_write_snapshot(self, snapshot):
        # The server's own record of what is under approval: not a change of
        # the proposal (base_tier_validation refuses writes under validation).
        self.sudo().with_context(skip_validation_check=True).write({"facts_snapshot": snapshot})

    def _credit_refresh_cap_figures(self):
        """At approval: the other customers' limits may have changed since
        submission; the cap figures are read again (the facts stay as
        submitted) so that the General Manager's tier applies when the cap is
        now exceeded."""
        for evaluation in self:
            company = evaluation.company_id
            if company.credit_total_limit_cap:
                # judged one approval after the other (see res.company)
                company._credit_lock_total_cap()
            snapshot = dict(evaluation.facts_snapshot or evaluation._credit_facts_values())
            snapshot.update(
                {
                    "total_limit_cap": company.credit_total_limit_cap,
                    "total_limits_before": company._credit_total_granted_limits()
                    if company.credit_total_limit_cap
                    else 0.0,
                    "total_cap_exposure": company.credit_total_cap_exposure,
                    "total_exposure": company._credit_total_exposure()
                    if company.credit_total_limit_cap and company.credit_total_cap_exposure
                    else 0.0,
                }
            )
            evaluation._credit_write_snapshot(snapshot)

    def _raise_if_general_manager_missing(self):
        """A direct approval (no tier applies, e.g. the tiers were edited) of
        an evaluation the General Manager must approve: his, or refused."""
        self.ensure_one()
        gm_group = "credit_policy.group_credit_policy_general_manager"
        if not self.needs_general_manager or self.env.user.has_group(gm_group):
            return
        approved_by_gm = self.sudo().review_ids.filtered(
            lambda r: r.status == "approved" and r.done_by.has_group(gm_group)
        )
        if not approved_by_gm:
            raise UserError(
                self.env._(
                    "%(name)s needs the General Manager's approval: %(why)s",
                    name=self.name,
                    why=self.general_manager_reason,
                )
            )

    def _raise_if_limit_deviation_unexplained(self):
        """The proposer may propose another limit than the one from facts
        (within the grade's bounds) only with a reason the approvers see."""
        self.ensure_one()
        if (
            self.facts_has_history
            and self.currency_id.compare_amounts(self.proposed_limit, self.computed_limit) != 0
            and not (self.limit_deviation_reason or "").strip()
        ):
            raise ValidationError(
                self.env._(
                    "%(name)s proposes a limit of %(limit)s where the customer's record proposes %(computed)s: "
                    "give the reason for another limit.",
                    name=self.name,
                    limit=self.currency_id.format(self.proposed_limit),
                    computed=self.currency_id.format(self.computed_limit),
                )
            )

    def action_refresh_facts(self):
        """Read the customer's record again (draft only)."""
        drafts = self.filtered(lambda e: e.state == "draft")
        names = ("current_grade_id", "current_limit", "current_term_days") + FACTS_FIELDS + PREREQUISITE_FACTS_FIELDS
        for name in names:
            self.env.add_to_compute(self._fields[name], drafts)
        # The customer's key data, and the grade following them and the prerequisite facts read again.
        for name in ("incomplete_data", "key_data_missing", "grade_id"):
            self.env.add_to_compute(self._fields[name], drafts)
        drafts.invalidate_recordset(["grade_explanation"])
        return True

    @api.onchange("grade_id")
    def _onchange_grade_id(self):
        for evaluation in self:
            evaluation.update(evaluation._proposal_defaults())

    def _proposal_defaults(self):
        """A proposal is the limit from facts (the grade's default limit for a
        customer without a record) and the grade's maximum term until edited."""
        return {"proposed_limit": self.computed_limit, "proposed_term_days": self._credit_default_term_days()}

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for evaluation in self:
            if evaluation.partner_id != evaluation.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Evaluate the company %(company)s, not its contact %(contact)s.",
                        company=evaluation.partner_id.commercial_partner_id.display_name,
                        contact=evaluation.partner_id.display_name,
                    )
                )

    @api.constrains("special_approval", "special_approval_note")
    def _check_special_approval_note(self):
        for evaluation in self:
            if evaluation.special_approval and not evaluation.special_approval_note:
                raise ValidationError(self.env._("A special approval needs a note saying why."))

    @api.constrains("state", "grade_id", "proposed_limit", "proposed_term_days", "collateral_value")
    def _check_proposal_within_grade(self):
        for evaluation in self.filtered(lambda e: e.state in ("to_approve", "approved")):
            evaluation._raise_if_proposal_outside_grade()
            evaluation._raise_if_limit_deviation_unexplained()

    def _raise_if_proposal_outside_grade(self):
        self.ensure_one()
        if not self.grade_id:
            raise ValidationError(self.env._("%(name)s has no grade: check the company's grade table.", name=self.name))
        self.grade_id._raise_if_grant_violated(
            self.proposed_limit, self.proposed_term_days, self.collateral_value, self.currency_id
        )
        self.grade_id._raise_if_purchase_bounds_violated(
            self.partner_id, self.proposed_limit, self.proposed_term_days, self._credit_purchase_facts_of(),
            self.currency_id,
        )

    @api.model_create_multi
    def create(self, vals_list):
        server_fields = self._credit_server_computed_fields()
        if not is_credit_trusted(self.env):
            given = {name for vals in vals_list for name in vals if name in server_fields}
            if given:
                raise self._credit_workflow_forgery_error(given)
        check = self.env["credit.policy.check"]
        for vals in vals_list:
            # A customer's credit is evaluated where it is kept: a branch's root.
            company = check._credit_area_to_change(self.env["res.company"].browse(vals.get("company_id")) or self.env.company)
            vals["company_id"] = company.id
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("credit.policy.evaluation") or "/"
                )
        evaluations = super().create(vals_list)
        # Whether given in vals, a default_* context key or a personal ir.default.
        if evaluations.filtered("special_approval"):
            self._check_special_approval_rights({"special_approval": True})
        # Computed by the server whatever a default or an ir.default said.
        for name in server_fields:
            self.env.add_to_compute(self._fields[name], evaluations)
        for evaluation in evaluations.filtered(lambda e: e.state != "draft" and not e.frozen_grade_id):
            # Created beyond draft by the workflow itself: its grade is frozen too.
            evaluation.sudo().frozen_grade_id = evaluation.grade_id
        evaluations.filtered("special_approval")._record_special_approval_user()
        for evaluation, vals in zip(evaluations, vals_list):
            defaults = evaluation._proposal_defaults()
            missing = {name: value for name, value in defaults.items() if name not in vals}
            if missing:
                evaluation.write(missing)
        evaluations.filtered(lambda e: e.kind == "event")._schedule_review_activity(
            self.env._("Review the event within 48 hours")
        )
        return evaluations

    @api.model
    def _credit_server_computed_fields(self):
        """Stored fields the server computes (read-only, without inverse): the
        customer's current grade, limit and term, the scores and the grade,
        the facts, the figures deciding the General Manager's tier, the
        approval status. No client sets them, at creation or later, in any
        state: the approvers read them as the server made them."""
        return {
            name for name, field in self._fields.items()
            if field.compute and field.store and field.readonly and not field.inverse
        }

    def write(self, vals):
        if not is_credit_trusted(self.env):
            forged = vals.keys() & self._credit_server_computed_fields()
            if forged:
                raise self._credit_workflow_forgery_error(forged)
        if not self.env.su:
            # The state only moves through the actions below, which check who
            # may move it (the workflow guard refuses a plain write of it).
            if PROPOSAL_FIELDS & vals.keys() and any(evaluation.state != "draft" for evaluation in self):
                raise ValidationError(
                    self.env._("A submitted evaluation cannot be changed: reset it to draft to change the proposal.")
                )
        self._check_special_approval_rights(vals)
        res = super().write(vals)
        if AUTHORED_FIELDS & vals.keys():
            self._credit_record_co_proposer()
        if "special_approval" in vals:
            self._record_special_approval_user()
        return res

    def _record_special_approval_user(self):
        """Who granted the special approval: the user who ticked it."""
        for evaluation in self:
            evaluation.sudo().special_approval_user_id = evaluation.special_approval and self.env.user

    def _credit_requesters(self):
        return self.user_id | self.submitted_by_id | self.create_uid | self.co_proposer_ids

    def _credit_record_co_proposer(self):
        """The current user changed the proposal of these evaluations (or
        their scoring sheet): he proposes them too (see AUTHORED_FIELDS). The
        server's own writes propose nothing."""
        if is_credit_trusted(self.env):
            return
        user = self.env.user
        for evaluation in self.sudo():
            if user not in evaluation._credit_requesters():
                evaluation.co_proposer_ids = [Command.link(user.id)]

    def _check_special_approval_rights(self, vals):
        if vals.get("special_approval") and not self.env.su and not (
            self.env.user.has_group("credit_policy.group_credit_policy_manager")
            or self.env.user.has_group("credit_policy.group_credit_policy_general_manager")
        ):
            raise AccessError(
                self.env._("Only a Credit Manager or the General Manager may record a special approval.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(evaluation.state == "approved" for evaluation in self):
            raise UserError(self.env._("An approved evaluation is part of the credit file and cannot be deleted."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_red_flag_review(self):
        reviews = self.filtered(lambda e: e.sudo().red_flag_review_ids)
        if reviews:
            raise UserError(
                self.env._(
                    "%(name)s is the re-evaluation of a red flag: cancel it instead of deleting it.",
                    name=reviews[0].name,
                )
            )

    def action_refresh_red_flags(self):
        for evaluation in self:
            if evaluation.state == "draft":
                evaluation.red_flag_ids = evaluation._active_red_flags()

    def action_submit(self):
        """Salesperson's step: freeze the red flags, check the proposal and
        open the approval chain."""
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(self.env._("Only draft evaluations can be submitted."))
            if not evaluation.line_ids:
                raise UserError(self.env._("Fill in the scoring sheet before submitting."))
        self.action_refresh_red_flags()
        # Whether the customer is new is a fact outside the grade's
        # dependencies (approvals, invoices), and so are his key data: read
        # them and grade again on submission.
        for name in ("incomplete_data", "key_data_missing", "grade_id"):
            self.env.add_to_compute(self._fields[name], self)
        # The customer's record as it is now: what the approvers approve.
        self._credit_freeze_facts()
        for evaluation in self:
            evaluation._raise_if_proposal_outside_grade()
            evaluation._raise_if_limit_deviation_unexplained()
        self._raise_if_grade_prerequisites_failed()
        for evaluation in self:
            # What the approvers approve: the grade as submitted, frozen.
            evaluation.sudo().write(
                {"state": "to_approve", "submitted_by_id": self.env.uid, "frozen_grade_id": evaluation.grade_id.id}
            )
        self.request_validation()
        for evaluation in self.filtered(lambda e: not e.review_ids):
            evaluation.message_post(
                body=self.env._("No approval tier applies: a Credit Manager approves this evaluation.")
            )
        return True

    def action_approve(self):
        """Approval by a Credit Manager when no tier applies (or all approved)."""
        if not self.env.user.has_group("credit_policy.group_credit_policy_manager"):
            raise AccessError(self.env._("Only a Credit Manager may approve an evaluation directly."))
        for evaluation in self:
            if evaluation.state != "to_approve":
                raise UserError(self.env._("Only submitted evaluations can be approved."))
            evaluation._credit_raise_if_four_eyes_broken()
            if evaluation.review_ids and evaluation.validation_status != "validated":
                raise UserError(self.env._("The approval chain of %(name)s is not complete.", name=evaluation.name))
            # The cap is judged on the company's total at approval.
            evaluation._credit_refresh_cap_figures()
            self.env["tier.review"]._credit_raise_if_chain_incomplete(evaluation)
            evaluation._raise_if_general_manager_missing()
            evaluation._action_approve()
        return True

    def _add_tier_validation_buttons(self, node, params):
        # EXTENDS base_tier_validation: restarting the chain is the proposer's
        # button (see _check_proposer), not the approvers'.
        return self._credit_hide_buttons_unless(
            super()._add_tier_validation_buttons(node, params), "restart_validation", "is_proposer"
        )

    def _credit_post_approvals(self, approved_before):
        """Post each step the current user just approved, with his opinion."""
        self.ensure_one()
        reviews = self.sudo().review_ids.filtered(
            lambda r: r.status == "approved" and r.done_by == self.env.user and r not in approved_before
        )
        for review in reviews.sorted("sequence"):
            step = review.definition_id.name or review.name or ""
            if review.comment:
                body = self.env._(
                    "Step %(step)s approved by %(user)s. Opinion: %(opinion)s",
                    step=step,
                    user=self.env.user.name,
                    opinion=review.comment,
                )
            else:
                body = self.env._(
                    "Step %(step)s approved by %(user)s (no opinion given).", step=step, user=self.env.user.name
                )
            self.sudo().message_post(body=body, author_id=self.env.user.partner_id.id, subtype_xmlid="mail.mt_note")

    def _validate_tier(self, tiers=False):
        # EXTENDS base_tier_validation: the last approval applies the evaluation,
        # unless a tier applies now that was not asked for when it was
        # submitted (e.g. its definition changed): that step is added and the
        # chain goes on, keeping the reviewer's approval. Someone who reviews
        # nothing in this chain only learns what is missing.
        approved_before = self.sudo().review_ids.filtered(lambda r: r.status == "approved")
        res = super()._validate_tier(tiers)
        self._credit_post_approvals(approved_before)
        if self.state == "to_approve" and self.validation_status == "validated":
            # The cap is judged on the company's total at approval.
            self._credit_refresh_cap_figures()
            if self.env.user not in self.sudo().review_ids.reviewer_ids:
                self.env["tier.review"]._credit_raise_if_chain_incomplete(self)
            reviews = self.env["tier.review"]._credit_request_missing_reviews(self)
            if reviews:
                self.message_post(
                    body=self.env._(
                        "The approval tiers changed since submission: %(tiers)s must approve as well.",
                        tiers=", ".join(reviews.definition_id.mapped("name")),
                    )
                )
            else:
                self._action_approve()
        return res

    def _action_approve(self):
        """Approve and apply the evaluation to the customer in its company."""
        self.ensure_one()
        # A red flag raised at the same time either comes first (and is seen
        # here) or finds this evaluation approved (and opens a new one): see
        # _credit_event_review, which takes the same lock.
        self.env["credit.policy.check"]._lock_credit_account(self.partner_id, self.company_id)
        self._raise_if_red_flag_raised_since_submission()
        self._raise_if_proposal_outside_grade()
        self._raise_if_grade_prerequisites_failed()
        self.sudo().write({"state": "approved", "approved_date": fields.Datetime.now()})
        self._apply_to_partner()

    def _apply_to_partner(self):
        """Write the approved grade, limit, term and review dates on the customer."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        partner._credit_policy_set_master_data(
            {
                "credit_grade_id": self.grade_id.id,
                "credit_limit": self.proposed_limit,
                "credit_term_days": self.proposed_term_days,
                "credit_collateral_value": self.collateral_value,
                **self.grade_id._review_dates(),
            },
            reason=self.env._("Evaluation %(name)s approved.", name=self.name),
            evaluation=self,
        )

    def _raise_if_red_flag_raised_since_submission(self):
        """A red flag raised while the evaluation was being approved blocks the
        approval rather than silently forcing the worst grade: the approvers
        agreed to a grade and a limit, and applying another one would grant
        what nobody approved. Resetting to draft and submitting again grades
        the customer with the flag and asks the approvers again."""
        self.ensure_one()
        new_flags = self._active_red_flags() - self.red_flag_ids
        if new_flags:
            raise UserError(
                self.env._(
                    "A red flag was raised on %(customer)s since %(name)s was submitted (%(flags)s): "
                    "reset the evaluation to draft and submit it again.",
                    customer=self.partner_id.display_name,
                    name=self.name,
                    flags=", ".join(new_flags.mapped("display_name")),
                )
            )

    def action_cancel(self):
        self._credit_raise_errors(lambda evaluation: evaluation._credit_cancel_error())
        self.sudo().write({"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_draft(self):
        self._check_proposer()
        for evaluation in self:
            if evaluation.state not in ("to_approve", "cancel"):
                raise UserError(self.env._("Only submitted or cancelled evaluations go back to draft."))
        self.filtered(lambda e: e.state == "to_approve").restart_validation()
        # Graded again from the current table until submitted again.
        self.sudo().write({"state": "draft", "frozen_grade_id": False, "facts_snapshot": False})
        return True

    def restart_validation(self):
        # EXTENDS base_tier_validation: credit reviews are only deleted as
        # superuser (see tier.review), on behalf of who may change the evaluation.
        self.check_access("write")
        self._check_proposer()
        return super(CreditPolicyEvaluation, self.sudo()).restart_validation()

    def unlink(self):
        # EXTENDS base_tier_validation: its reviews go with the evaluation.
        self.check_access("unlink")
        self.sudo().review_ids.unlink()
        # Sudo: the scoring sheet goes with its evaluation (its rows are not
        # deleted one by one, see credit.policy.evaluation.line).
        self.sudo().line_ids.unlink()
        return super().unlink()

    def _active_red_flags(self):
        self.ensure_one()
        if not self.partner_id:
            return self.env["credit.policy.red.flag"]
        return (
            self.env["credit.policy.red.flag"]
            .sudo()
            .search([("partner_id", "=", self.partner_id.id), ("company_id", "=", self.company_id.id)])
        )

    def _schedule_review_activity(self, summary):
        """To-do for the salesperson, else for the company's credit managers."""
        managers_group = self.env.ref("credit_policy.group_credit_policy_manager")
        for evaluation in self:
            users = evaluation.partner_id.user_id or evaluation.user_id
            if not users or users._is_superuser() or users.share:
                users = managers_group.users.filtered(
                    lambda u, c=evaluation.company_id: c in u.company_ids and not u.share and not u._is_superuser()
                )
            deadline = evaluation.deadline or fields.Datetime.now()
            for user in users:
                evaluation.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=user_date(evaluation, user, deadline),
                    summary=summary,
                    user_id=user.id,
                )

    # ------------------------------------------------------------------
    # Periodic re-evaluation (POLICY.md §3)
    # ------------------------------------------------------------------

    @api.model
    def _credit_graded_areas(self):
        """The credit control areas (root companies) grading their customers:
        a branch's customers are its root company's."""
        return self.env["res.company"].search([("credit_grade_table_id", "!=", False), ("parent_id", "=", False)])

    @api.model
    def _cron_create_periodic_reevaluations(self):
        """Draft re-evaluations for customers whose next review date has passed
        in the company's calendar (the scheduler's is UTC)."""
        for company in self._credit_graded_areas():
            today = company_date(self, company)
            partners = (
                self.env["res.partner"]
                .with_company(company)
                .search([("credit_next_review_date", "<", today), ("parent_id", "=", False)])
            )
            self.with_company(company)._create_reevaluations(
                partners, "periodic", self.env._("Periodic credit review due")
            )

    @api.model
    def _cron_check_payment_behaviour(self):
        """Monthly: poor payers get a downgrade proposal, good payers an upgrade
        one. The months are the company's (its calendar, not the scheduler's UTC)."""
        for company in self._credit_graded_areas():
            self.with_company(company)._check_payment_behaviour(company, company_date(self, company))

    @api.model
    def _check_payment_behaviour(self, company, today):
        last_month_end = today.replace(day=1) - timedelta(days=1)
        last_month = (last_month_end.year, last_month_end.month)
        poor = self._poor_payment_months(company, today, months=2)
        poor_partners = self.env["res.partner"].browse(
            [partner_id for partner_id, months in poor.items() if policy.has_consecutive_poor_months(months, last_month)]
        )
        grades = company.credit_grade_table_id.grade_ids.sorted(lambda g: (g.sequence, g.id))

        def downgrade_vals(partner):
            worse = self._neighbour_grade(grades, partner.credit_grade_id, +1)
            return {
                "limit_deviation_reason": self.env._("Downgrade proposed by the monthly payment behaviour check."),
                "suggested_grade_id": worse.id,
                "proposed_limit": min(partner.credit_limit, worse.max_limit),
                "proposed_term_days": min(partner.credit_term_days, worse.max_term_days),
            }

        created = self._create_reevaluations(
            poor_partners,
            "poor_payment",
            self.env._("Two consecutive months of poor payment: downgrade proposed"),
            downgrade_vals,
        )
        good_partners = self._good_payers(company, today, months=6) - poor_partners
        increase = company.credit_max_limit_increase_percent

        def upgrade_vals(partner):
            better = self._neighbour_grade(grades, partner.credit_grade_id, -1)
            return {
                "limit_deviation_reason": self.env._(
                    "Upgrade proposed by the monthly payment behaviour check (at most %(percent)s%% per step).",
                    percent=increase,
                ),
                "suggested_grade_id": better.id,
                # Within the grade the evaluation is scored at (the current
                # one, until the reviewers score it a grade up): a proposal
                # above it could not be submitted.
                "proposed_limit": policy.raised_limit(partner.credit_limit, increase, partner.credit_grade_id.max_limit),
                "proposed_term_days": partner.credit_term_days,
            }

        created |= self._create_reevaluations(
            good_partners,
            "good_payment",
            self.env._("Good payment record: one grade up or a higher limit proposed"),
            upgrade_vals,
        )
        return created

    @api.model
    def _neighbour_grade(self, grades, grade, step):
        """The grade ``step`` levels worse (+) or better (-) in the table, bounded."""
        if grade not in grades:
            return grades[-1:] if step > 0 else grade
        index = min(max(list(grades).index(grade) + step, 0), len(grades) - 1)
        return grades[index]

    @api.model
    def _due_receivable_lines_sql(self, company, start, end):
        """Posted customer invoice lines of the credit control area of
        ``company`` due in [start, end), ignoring invoices with a recorded
        valid reason: their commercial partner, due date, balance, what the
        customer owed of it ("owed": the balance less what credit notes
        cleared of it), open amount net of the credit the customer has on
        account ("open_amount": unmatched payments and credit notes pay the
        oldest open items first, as the overdue rules net them,
        :func:`policy.net_overdue`), whether more than the area's small-amount
        tolerance is left open ("still_open"), the date of the customer's last
        payment on it ("last_paid") and whether it was paid late or is still
        open ("late"). Shared by the payment behaviour check and the crisis
        scan's missed payments and payment delays.

        A rest up to the tolerance (a bank charge the customer did not pay,
        POLICY.md §4: small amounts ignored) leaves the invoice paid when the
        customer last paid on it, as the credit check leaves it out of the
        overdue age: it is no missed payment, no month of poor payment.

        Only the customer's own payments date the settlement
        (:meth:`credit.policy.check._sql_item_settlements`): an invoice
        cleared by a credit note after its due date, or whose exchange
        difference Odoo books later, is not paid late; a part credited is
        neither paid late nor paid on time, it is not owed."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model(["credit_late_payment_reason"])
        self.env["account.account"].flush_model(["account_type"])
        check = self.env["credit.policy.check"]
        company_ids = check._credit_area_company_ids(company)
        tolerance = check._credit_area(company).credit_overdue_tolerance_amount or 0.0
        return SQL(
            """
            WITH netted AS (
                SELECT id, GREATEST(net, 0) AS open_amount FROM (%(netted)s) items
            )
            SELECT p.commercial_partner_id AS partner_id,
                   l.date_maturity,
                   l.balance,
                   l.balance - COALESCE(settled.credited, 0) AS owed,
                   COALESCE(n.open_amount, 0) AS open_amount,
                   COALESCE(n.open_amount, 0) > %(tolerance)s AS still_open,
                   settled.last_paid,
                   (COALESCE(n.open_amount, 0) > %(tolerance)s
                    OR COALESCE(settled.last_paid > l.date_maturity, FALSE)) AS late
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN account_account a ON a.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN netted n ON n.id = l.id
              LEFT JOIN LATERAL (
                    SELECT MAX(s.settled_on) FILTER (WHERE s.kind = 'payment') AS last_paid,
                           SUM(s.cleared) FILTER (WHERE s.kind = 'credit_note') AS credited
                      FROM (%(settlements)s) s
                     WHERE s.line_id = l.id
              ) settled ON TRUE
             WHERE l.company_id IN %(companies)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND l.balance > 0
               AND l.date_maturity >= %(start)s AND l.date_maturity < %(end)s
               AND COALESCE(m.credit_late_payment_reason, '') = ''
            """,
            companies=tuple(company_ids),
            netted=check._sql_items_net_of_credit(company_ids),
            settlements=check._sql_item_settlements(company_ids),
            start=start,
            end=end,
            tolerance=tolerance,
        )

    @api.model
    def _poor_payment_months(self, company, today, months):
        """{partner id: {(year, month)}} of the last ``months`` complete months in
        which a customer invoice due that month was paid late or is still
        overdue, without a recorded valid reason. One grouped query."""
        end = today.replace(day=1)
        lines = self._due_receivable_lines_sql(company, fields.Date.subtract(end, months=months), end)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, EXTRACT(YEAR FROM date_maturity)::int, EXTRACT(MONTH FROM date_maturity)::int
                  FROM (%s) due
                 WHERE late
                 GROUP BY 1, 2, 3
                """,
                lines,
            )
        )
        poor = {}
        for partner_id, year, month in rows:
            poor.setdefault(partner_id, set()).add((year, month))
        return poor

    @api.model
    def _good_payers(self, company, today, months):
        """Graded customers whose invoices due in the last ``months`` months were
        all paid on time, with invoices due in each of the last three months
        (not wholly cleared by credit notes: those show no payment), and not
        reviewed within the period."""
        end = today.replace(day=1)
        start = fields.Date.subtract(end, months=months)
        lines = self._due_receivable_lines_sql(company, start, end)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id
                  FROM (%s) due
                 GROUP BY partner_id
                HAVING NOT bool_or(late)
                   -- a month whose invoices were all credited shows no payment
                   AND COUNT(DISTINCT date_trunc('month', date_maturity))
                           FILTER (WHERE date_maturity >= %s AND owed > 0) >= 3
                """,
                lines,
                fields.Date.subtract(end, months=3),
            )
        )
        partners = self.env["res.partner"].with_company(company).browse([row[0] for row in rows])
        return partners.filtered(
            lambda p: p.credit_grade_id and (not p.credit_last_review_date or p.credit_last_review_date < start)
        )

    @api.model
    def _create_reevaluations(self, partners, trigger, summary, extra_vals=None):
        """Draft re-evaluations for the partners without an open one, each with
        the previous scoring copied and a to-do for the salesperson."""
        company = self.env.company
        open_partners = self.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id), ("state", "in", OPEN_STATES)]
        ).partner_id
        vals_list = []
        for partner in (partners - open_partners).with_company(company):
            vals = {
                "partner_id": partner.id,
                "company_id": company.id,
                "kind": "review",
                "trigger": trigger,
                "user_id": partner.user_id.id,
                "reason": summary,
            }
            lines = self._previous_scoring_commands(partner, company)
            if lines:
                vals["line_ids"] = lines
            if extra_vals:
                vals.update(extra_vals(partner))
            vals_list.append(vals)
        evaluations = self.create(vals_list)
        evaluations._schedule_review_activity(summary)
        return evaluations

    @api.model
    def _previous_scoring_commands(self, partner, company):
        """The scoring sheet of the customer's last approved evaluation in the
        company, as commands for a new evaluation (empty list: none)."""
        previous = self.sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "=", "approved")],
            order="approved_date desc, id desc",
            limit=1,
        )
        return [
            Command.create({"criterion_id": line.criterion_id.id, "points": line.points, "note": line.note})
            for line in previous.line_ids
        ]

    # ------------------------------------------------------------------
    # Red flags act at once (POLICY.md §1, §3; seed 004: within 48 hours)
    # ------------------------------------------------------------------

    @api.model
    def _credit_red_flag_reviews(self, flags):
        """Open the event-triggered re-evaluation each red flag calls for, due
        within 48 hours, and link the flag to it: until it is approved or
        cancelled, the credit check holds the customer (rule
        ``red_flag_pending``). A customer with an open evaluation already gets
        no second one: the flag waits for that evaluation, graded with it.

        Created as superuser: the flag's author need not be allowed to open
        evaluations, and the workflow fields (trigger) are the server's.
        """
        for flag in flags.sudo().filtered("active"):
            description = self.env._(
                "Red flag %(flag)s recorded on %(date)s by %(user)s: %(evidence)s",
                flag=flag.type_id.name,
                date=flag.date,
                user=flag.user_id.name,
                evidence=flag.evidence,
            )
            evaluation = self._credit_event_review(
                flag.partner_id,
                flag.company_id,
                "red_flag",
                description,
                self.env._("Re-evaluation after a red flag (due within 48 hours)."),
                flag.user_id,
                joined_note=self.env._(
                    "This evaluation is the customer's re-evaluation: until it is approved "
                    "or cancelled, the customer's order confirmations and deliveries are held."
                ),
            )
            flag.evaluation_id = evaluation
        return True

    @api.model
    def _credit_event_review(self, partner, company, trigger, description, reason, author, joined_note=""):
        """Open the event-triggered re-evaluation (due within 48 hours, seed 004)
        an event of ``partner`` in ``company`` calls for, or join the customer's
        open evaluation: it is posted the event and, while in draft, graded
        with the customer's red flags. Returns the evaluation.

        Created as superuser: whoever records the event need not be allowed to
        open evaluations, and the workflow fields (trigger) are the server's.
        """
        company = self.env["credit.policy.check"]._credit_area(company)
        # The customer's open evaluation is judged with its approval locked out:
        # one being approved at the same time would otherwise approve without
        # seeing this event, while the event joins it instead of opening a
        # re-evaluation (see _action_approve).
        self.env["credit.policy.check"]._lock_credit_account(partner, company)
        # The client's ``default_*`` keys have no say in what the server creates.
        context = {key: value for key, value in self.env.context.items() if not key.startswith("default_")}
        Evaluation = self.sudo().with_context(context)
        evaluation = Evaluation.search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "in", OPEN_STATES)],
            order="id desc",
            limit=1,
        )
        if evaluation:
            if evaluation.state == "draft":
                evaluation.red_flag_ids = evaluation._active_red_flags()
            evaluation.message_post(body=" ".join(filter(None, (description, joined_note))))
            return evaluation
        vals = {
            "partner_id": partner.id,
            "company_id": company.id,
            "kind": "event",
            "trigger": trigger,
            "event_description": description,
            "reason": reason,
            "user_id": partner.with_company(company).user_id.id or author.id,
        }
        lines = Evaluation._previous_scoring_commands(partner, company)
        if lines:
            vals["line_ids"] = lines
        return Evaluation.with_company(company).create(vals)

    # ------------------------------------------------------------------
    # At most one purchase, one purchasing cycle (POLICY.md §2, seed 001)
    # ------------------------------------------------------------------

    @api.model
    def _credit_purchase_facts(self, company, partners, today):
        """{credit account id: policy.PurchaseFacts} of these customers: their
        confirmed orders in the company's facts window, in the credit area of
        ``company`` (its root and branches), a credit group head's with its
        members' (the limit it holds is the group's), from one grouped query.
        An order's value is its total in company currency at the order's
        rate; its day is the day in the company's calendar. An order counts
        for the customer whose credit it uses (its invoiced commercial entity)."""
        check = self.env["credit.policy.check"]
        area = check._credit_area(company)
        window = max(company.credit_facts_window_months, 1)
        groups = check._credit_groups(partners, area) if partners else {}
        members = [member_id for group in groups.values() for member_id in group]
        accounts = [account_id for account_id, group in groups.items() for _member_id in group]
        result = {account_id: policy.PurchaseFacts(window, 0, None, None) for account_id in groups}
        if not members:
            return result
        end = fields.Date.add(today, days=1)
        start = fields.Date.subtract(end, months=window)
        self.env["sale.order"].flush_model(
            ["partner_invoice_id", "credit_customer_id", "company_id", "state", "date_order", "amount_total",
             "currency_rate"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT g.account_id, COUNT(*), SUM(o.amount), COUNT(DISTINCT o.day), MIN(o.day), MAX(o.day)
                  FROM (
                        SELECT COALESCE(so.credit_customer_id, p.commercial_partner_id) AS partner_id,
                               so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
                               (so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day
                          FROM sale_order so
                          JOIN res_partner p ON p.id = so.partner_invoice_id
                         WHERE so.company_id IN %(companies)s
                           AND so.state = 'sale'
                           -- a day either side of the window in any calendar
                           AND so.date_order >= %(start)s - INTERVAL '1 day'
                           AND so.date_order < %(end)s + INTERVAL '1 day'
                           AND (so.credit_customer_id = ANY(%(members)s::int[])
                                OR p.commercial_partner_id = ANY(%(members)s::int[]))
                       ) o
                  JOIN unnest(%(members)s::int[], %(accounts)s::int[]) AS g(member_id, account_id)
                    ON g.member_id = o.partner_id
                 WHERE o.day >= %(start)s AND o.day < %(end)s
                 GROUP BY 1
                """,
                tz=company_tz(self, area),
                companies=check._credit_area_company_ids(company),
                members=members,
                accounts=accounts,
                start=start,
                end=end,
            )
        )
        currency = company.currency_id
        for account_id, count, total, days, first, last in rows:
            average = policy.average_order_value(total or 0.0, count)
            cycle = policy.purchasing_cycle_days(first, last, days)
            result[account_id] = policy.PurchaseFacts(
                window,
                count,
                currency.round(average) if average is not None else None,
                round(cycle, 1) if cycle is not None else None,
            )
        return result

    def _credit_purchase_facts_of(self):
        """This evaluation's purchase facts (as submitted once submitted)."""
        self.ensure_one()
        count = self.facts_order_count or 0
        return policy.PurchaseFacts(
            self.facts_window_months or max(self.company_id.credit_facts_window_months, 1),
            count,
            self.facts_average_order if count else None,
            self.facts_purchase_cycle_days or None,
        )

    def _credit_one_purchase_values(self, purchases, values):
        """The purchase facts fields of this evaluation, and the limit from
        facts capped at one purchase when its grade grants at most one."""
        self.ensure_one()
        currency = self.company_id.currency_id
        result = {
            "facts_order_count": purchases.order_count,
            "facts_average_order": purchases.average_order or 0.0,
            "facts_purchase_cycle_days": purchases.cycle_days or 0.0,
        }
        grade = self.grade_id
        max_limit = policy.one_purchase_bounds(grade.limit_at_most_one_purchase, False, purchases)[0]
        if max_limit is not None and policy.one_purchase_violations(
            (max_limit, None), values["computed_limit"], 0, currency.rounding
        ):
            result["computed_limit"] = max_limit
            result["computed_limit_rule"] = "\n".join(
                filter(None, (values.get("computed_limit_rule"), self.env._(
                    "Capped at one purchase, %(average)s: the average of %(count)s confirmed orders over the last "
                    "%(months)s months (grade %(grade)s grants at most one purchase).",
                    average=currency.format(max_limit),
                    count=purchases.order_count,
                    months=purchases.window_months,
                    grade=grade.code,
                )))
            )
        return result

    def _credit_default_term_days(self):
        """The proposed term until edited: the grade's maximum, within one
        purchasing cycle when the grade grants at most one."""
        self.ensure_one()
        term = self.grade_id.max_term_days
        max_term = policy.one_purchase_bounds(
            False, self.grade_id.term_at_most_one_cycle, self._credit_purchase_facts_of()
        )[1]
        if max_term is not None:
            term = min(term, int(max_term))
        return term
