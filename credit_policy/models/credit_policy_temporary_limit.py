from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

from .. import policy
from ..tools import company_date

#: Fields frozen once the request has left the draft state: what the
#: approvers approve, the reason included.
REQUEST_FIELDS = {"partner_id", "company_id", "amount", "date_from", "date_to", "order_id", "picking_id", "reason"}


class CreditPolicyTemporaryLimit(models.Model):
    """A temporary credit limit (临时额度, POLICY.md §3–4).

    Requested with an amount, a reason and a validity period, optionally for
    one order or delivery, and approved through the tier validation chain
    (credit manager; general manager above a threshold). While approved and
    unexpired it raises the customer's effective limit.

    Temporary limits add up by design: each grants extra room for its own
    deal. What is refused is a second open request for the same order or
    delivery over overlapping dates, which would count the same deal twice.

    A temporary limit requested for an order or a delivery is that document's
    only: it raises the effective limit when that order (or its deliveries) or
    that delivery is checked, never for another document of the customer, and
    the customer's figures and status count general temporary limits only.

    It stays within the customer's grade (POLICY.md §2): none for a grade that
    grants no credit, valid at most the grade's temporary-credit days (seed
    002: 15 days for B); checked when requested and when approved.
    """

    _name = "credit.policy.temporary.limit"
    _description = "Temporary Credit Limit"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.policy.tier.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    #: Only the approval workflow sets them; the requester is who creates it.
    _credit_workflow_fields = frozenset({"state", "approved_uid", "approved_date", "user_id"})

    _credit_decision_depends = ("user_id", "create_uid", "company_id", "review_ids.status", "review_ids.done_by")

    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        help="The customer whose credit is raised; for a credit group, its head.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True, currency_field="currency_id")
    cumulative_amount = fields.Monetary(
        compute="_compute_cumulative_amount",
        currency_field="currency_id",
        help="This request plus the customer's other approved, unexpired temporary limits in "
        "the company. Temporary limits add up, so the approval tiers look at this total: "
        "splitting a request does not avoid the general manager.",
    )
    needs_general_manager = fields.Boolean(
        string="General Manager Approves",
        compute="_compute_cumulative_amount",
        help="The customer's temporary limits, this request included, total more than the company's "
        "threshold: the General Manager's approval applies.",
    )
    reason = fields.Text(required=True)
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today, tracking=True
    )
    date_to = fields.Date(
        string="Valid Until",
        required=True,
        tracking=True,
        # "Valid Until" is included: valid on 15 days, the usual at most.
        default=lambda self: fields.Date.context_today(self) + timedelta(days=14),
        help="The last day the temporary limit counts, included.",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('picking_type_code', '=', 'outgoing')]",
    )
    user_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user, readonly=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    approved_uid = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    # What the current user's buttons may do (see credit.policy.workflow.mixin):
    # each calls the helper its server check raises from.
    credit_is_requester = fields.Boolean(
        string="Your Request",
        compute="_compute_credit_buttons",
        help="You asked for this temporary limit: only you change, submit or reopen it.",
    )
    credit_can_cancel = fields.Boolean(string="You May Cancel", compute="_compute_credit_buttons")
    credit_can_restart = fields.Boolean(string="You May Restart", compute="_compute_credit_buttons")

    @api.depends_context("uid")
    @api.depends("user_id", "create_uid", "state")
    def _compute_credit_buttons(self):
        manager = "credit_policy.group_credit_policy_manager"
        for rec in self:
            if not rec._origin.id:
                # A new request is its creator's own.
                rec.credit_is_requester = rec.credit_can_cancel = rec.credit_can_restart = True
                continue
            origin = rec._origin
            rec.credit_is_requester = not origin._credit_requester_error()
            rec.credit_can_cancel = not origin._credit_cancel_error()
            rec.credit_can_restart = not origin._credit_requester_error(or_group=manager)

    @api.depends("amount", "partner_id", "company_id")
    def _compute_cumulative_amount(self):
        # A credit group shares one credit account (the head's), and the
        # exposure counts the members' temporary limits for it: the total runs
        # over the whole group, so splitting a request across its members does
        # not avoid the general manager either.
        today = fields.Date.context_today(self)
        groups = {rec.id: rec._credit_group_partners() for rec in self}
        partners = self.env["res.partner"].sudo().union(*groups.values())
        granted = self.sudo()._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "in", self.company_id.ids),
                ("state", "=", "approved"),
                ("date_to", ">=", today),
            ],
            ["partner_id", "company_id"],
            ["id:array_agg", "amount:sum"],
        )
        granted = {(partner.id, company.id): (ids, total) for partner, company, ids, total in granted}
        for rec in self:
            total = 0.0
            for partner in groups[rec.id]:
                ids, amount = granted.get((partner.id, rec.company_id.id), ((), 0.0))
                total += amount
                if rec._origin.id in ids:
                    # Already granted: counted once, in its own amount.
                    total -= rec._origin.amount
            rec.cumulative_amount = total + rec.amount
            rec.needs_general_manager = policy.above_general_manager_limit(
                rec.cumulative_amount,
                rec.company_id.credit_temporary_general_manager_limit,
                rec.currency_id.rounding or 0.01,
            )

    def _credit_group_partners(self):
        """The customer's credit group: its head and all the head's members."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        head = partner.credit_group_head_id or partner
        return head | head.credit_group_member_ids

    @api.constrains("amount", "date_from", "date_to")
    def _check_amount_dates(self):
        for rec in self:
            if rec.amount <= 0:
                raise ValidationError(self.env._("A temporary limit must be a positive amount."))
            if rec.date_to < rec.date_from:
                raise ValidationError(self.env._("A temporary limit must end after it starts."))

    @api.constrains("partner_id", "order_id", "picking_id", "date_from", "date_to", "state")
    def _check_overlap_same_document(self):
        for rec in self.filtered(lambda r: r.state in ("to_approve", "approved")):
            if not (rec.order_id or rec.picking_id):
                continue
            domain = [
                ("id", "!=", rec.id),
                ("partner_id", "=", rec.partner_id.id),
                ("company_id", "=", rec.company_id.id),
                ("state", "in", ("to_approve", "approved")),
                ("date_from", "<=", rec.date_to),
                ("date_to", ">=", rec.date_from),
            ]
            domain += [("order_id", "=", rec.order_id.id)] if rec.order_id else [
                ("picking_id", "=", rec.picking_id.id)
            ]
            other = self.sudo().search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(document)s already has the temporary limit %(other)s for "
                        "overlapping dates: change or cancel that request instead.",
                        document=(rec.order_id or rec.picking_id).display_name,
                        other=other.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for rec in self:
            if rec.partner_id != rec.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("A temporary limit is granted to a company, not to a contact.")
                )

    def _credit_grade(self):
        """The grade bounding this temporary limit: the customer's own in the
        request's company, else its credit group head's (empty: no grade)."""
        self.ensure_one()
        partner = self.partner_id.sudo().with_company(self.company_id)
        return partner.credit_grade_id or partner.credit_group_head_id.credit_grade_id

    def _validity_days(self):
        """Days the temporary limit counts on: from "Valid From" to "Valid
        Until", both included (the check counts it while ``date_to >= today``)."""
        self.ensure_one()
        return (self.date_to - self.date_from).days + 1

    def _raise_if_outside_grade(self):
        """ValidationError when a request breaks what the customer's grade grants."""
        for rec in self:
            grade = rec._credit_grade()
            if not grade:
                continue
            validity = rec._validity_days()
            violations = policy.temporary_limit_violations(
                grade.credit_allowed, grade.prepayment_percent, grade.temporary_credit_days, validity
            )
            messages = {
                "no_credit": lambda allowed, rec=rec, grade=grade: self.env._(
                    "%(customer)s has grade %(grade)s, which grants no credit: no temporary limit either.",
                    customer=rec.partner_id.display_name,
                    grade=grade.code,
                ),
                "no_temporary": lambda allowed, rec=rec, grade=grade: self.env._(
                    "Grade %(grade)s of %(customer)s grants no temporary limit.",
                    customer=rec.partner_id.display_name,
                    grade=grade.code,
                ),
                "validity": lambda allowed, rec=rec, grade=grade, validity=validity: self.env._(
                    "%(name)s would be valid for %(days)s days: grade %(grade)s of %(customer)s allows "
                    "temporary limits of at most %(max)s days.",
                    name=rec.name,
                    days=validity,
                    grade=grade.code,
                    customer=rec.partner_id.display_name,
                    max=allowed,
                ),
            }
            if violations:
                raise ValidationError("\n".join(messages[rule](allowed) for rule, allowed in violations))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id") and "date_to" not in vals and "default_date_to" not in self.env.context:
                # Valid as long as the customer's grade allows, at most the usual 15 days.
                partner = self.env["res.partner"].browse(vals["partner_id"]).sudo()
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                partner = partner.with_company(company)
                grade = partner.credit_grade_id or partner.credit_group_head_id.credit_grade_id
                if grade.temporary_credit_days:
                    date_from = fields.Date.to_date(vals.get("date_from")) or fields.Date.context_today(self)
                    # Both "Valid From" and "Valid Until" are included.
                    vals["date_to"] = date_from + timedelta(days=min(grade.temporary_credit_days, 15) - 1)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "credit.policy.temporary.limit"
                ) or "/"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and REQUEST_FIELDS & vals.keys():
            if any(rec.state != "draft" for rec in self):
                raise UserError(
                    self.env._("Only draft temporary limit requests can be changed.")
                )
            # Whoever writes the request would be asking for it, and could then approve it.
            self._raise_unless_requester()
        return super().write(vals)

    def _credit_requesters(self):
        return self.user_id | self.create_uid

    def _credit_requester_error(self, or_group=None):
        """The AccessError refusing the current user's action on this request
        unless he asked for it (or belongs to ``or_group``), or None: a
        request is its requester's."""
        self.ensure_one()
        user = self.env.user
        if self.env.su or (or_group and user.has_group(or_group)):
            return None
        rec = self.sudo()
        if user in rec._credit_requesters():
            return None
        return AccessError(
            self.env._(
                "%(name)s is %(requester)s's request: only its requester changes, submits or reopens it.",
                name=rec.name,
                requester=rec.user_id.name,
            )
        )

    def _raise_unless_requester(self, or_group=None):
        """Refuse the current user's action on these requests unless he asked
        for them (or belongs to ``or_group``), see :meth:`_credit_requester_error`."""
        self._credit_raise_errors(lambda rec: rec._credit_requester_error(or_group=or_group))

    def _credit_cancel_error(self):
        """The exception refusing the current user's cancelling of this
        request, or None: its requester or a Credit Manager cancels an open
        request; an approved one, only a Credit Manager."""
        self.ensure_one()
        manager = "credit_policy.group_credit_policy_manager"
        error = self._credit_requester_error(or_group=manager)
        if error:
            return error
        if self.state in ("expired", "rejected"):
            return UserError(self.env._("%(name)s is already closed.", name=self.name))
        if self.state == "approved" and not self.env.user.has_group(manager):
            return AccessError(self.env._("Only a Credit Manager cancels an approved temporary limit."))
        return None

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(rec.state not in ("draft", "cancelled") for rec in self):
            raise UserError(self.env._("Cancel a temporary limit before deleting it."))

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _set_state(self, state, **extra):
        """Single door for state changes, after the caller's checks."""
        # need_validation is not stored and has no dependencies: drop the value
        # cached before the reviews were created. The workflow has checked the
        # reviews itself, hence skip_validation_check.
        self.invalidate_recordset(["need_validation"])
        self.sudo().with_context(skip_validation_check=True).write(dict(extra, state=state))
        for company in self.company_id:
            recs = self.filtered(lambda r, c=company: r.company_id == c)
            self.env["credit.policy.status"]._mark_dirty(recs.partner_id, company)

    def action_request_approval(self):
        for rec in self:
            if rec.state != "draft":
                raise UserError(self.env._("Only draft requests can be submitted."))
        self._raise_unless_requester()
        self._raise_if_outside_grade()
        # Two requests for one order or delivery submitted at the same time:
        # the second sees the first open and is refused (_check_overlap_same_document).
        self._credit_lock_accounts()
        self._set_state("to_approve")
        self.request_validation()
        return True

    def _credit_lock_accounts(self):
        """Lock the credit accounts of these requests' customers before their
        submission or approval reads the customer's other temporary limits:
        two requests of one customer (or credit group) approved at the same
        time are then judged one after the other, the second seeing the first
        granted (its total may call for the General Manager), not both on the
        total before; two submitted for the same document, the second sees
        the first open."""
        Check = self.env["credit.policy.check"]
        accounts = {
            (Check._credit_area(rec.company_id), Check._get_credit_account(rec.partner_id.sudo())) for rec in self
        }
        # A fixed lock order keeps two approvals of several requests from deadlocking.
        for area, account in sorted(accounts, key=lambda key: (key[0].id, key[1].id)):
            Check._lock_credit_account(account, area)

    def action_approve(self):
        """A Credit Manager approves, once the tier reviews (if any) are validated.

        Without any tier definition applying, the Credit Manager approves directly.
        """
        if not self.env.user.has_group("credit_policy.group_credit_policy_manager"):
            raise AccessError(self.env._("Only a Credit Manager approves temporary limits."))
        self._credit_lock_accounts()
        for rec in self:
            if rec.state != "to_approve":
                raise UserError(self.env._("Only requests waiting for approval can be approved."))
            rec._credit_raise_if_four_eyes_broken()
            if rec.review_ids and rec.validation_status != "validated":
                raise UserError(self.env._("%(name)s still waits for its reviews.", name=rec.name))
            self.env["tier.review"]._credit_raise_if_chain_incomplete(rec)
        # The grade may have changed since the request.
        self._raise_if_outside_grade()
        self._set_state("approved", approved_uid=self.env.uid, approved_date=fields.Datetime.now())
        return True

    def action_cancel(self):
        self._credit_raise_errors(lambda rec: rec._credit_cancel_error())
        self._set_state("cancelled")
        return True

    def action_draft(self):
        if any(rec.state not in ("rejected", "cancelled") for rec in self):
            raise UserError(self.env._("Only rejected or cancelled requests go back to draft."))
        self._raise_unless_requester()
        self.sudo().review_ids.unlink()
        self._set_state("draft")
        return True

    def _add_tier_validation_buttons(self, node, params):
        # EXTENDS base_tier_validation: restarting the chain is the requester's
        # or a Credit Manager's (see restart_validation).
        return self._credit_hide_buttons_unless(
            super()._add_tier_validation_buttons(node, params), "restart_validation", "credit_can_restart"
        )

    def restart_validation(self):
        # EXTENDS base_tier_validation: credit reviews are only deleted as
        # superuser (see tier.review), on behalf of who may change the request:
        # its requester, or a Credit Manager.
        self.check_access("write")
        self._raise_unless_requester(or_group="credit_policy.group_credit_policy_manager")
        return super(CreditPolicyTemporaryLimit, self.sudo()).restart_validation()

    def _validate_tier(self, tiers=False):
        # EXTENDS base_tier_validation: the last approval approves the request,
        # each approval step within the customer's grade as it is now, and on
        # the customer's other temporary limits as granted now.
        self._credit_lock_accounts()
        self._raise_if_outside_grade()
        res = super()._validate_tier(tiers)
        if self.state == "to_approve" and self.validation_status == "validated" and not self._request_missing_tiers():
            self._set_state(
                "approved", approved_uid=self.env.uid, approved_date=fields.Datetime.now()
            )
        return res

    def _request_missing_tiers(self):
        """Add the approval steps that apply now but were not asked for.

        The cumulative amount grows when other temporary limits of the customer
        are approved meanwhile: a request under the general manager's threshold
        when submitted may be over it when approved. Rather than granting it,
        the missing steps are added at the end of the chain.
        """
        self.ensure_one()
        reviews = self.env["tier.review"]._credit_request_missing_reviews(self)
        if reviews:
            self.message_post(
                body=self.env._(
                    "The customer's temporary limits now add up to %(total)s: %(tiers)s must approve as well.",
                    total=format_amount(self.env, self.cumulative_amount, self.currency_id),
                    tiers=", ".join(reviews.definition_id.mapped("name")),
                )
            )
        return reviews

    def _rejected_tier(self, tiers=False):
        # EXTENDS base_tier_validation: one rejection rejects the request.
        res = super()._rejected_tier(tiers)
        if self.state == "to_approve" and self.validation_status == "rejected":
            self._set_state("rejected")
        return res

    @api.model
    def _cron_expire(self):
        """Daily: close approved temporary limits whose validity has ended in
        the calendar of their credit control area's company, not in the
        scheduler's (OdooBot's UTC): a limit valid until 26 November counts
        the whole of 26 November where the company works."""
        Check = self.env["credit.policy.check"]
        # No calendar is more than a day ahead of UTC's: nothing valid until
        # today (UTC) or later has ended anywhere yesterday.
        candidates = self.search(
            [("state", "=", "approved"), ("date_to", "<", fields.Date.today() + timedelta(days=1))]
        )
        expired = self.browse()
        for company, limits in candidates.grouped("company_id").items():
            today = company_date(self, Check._credit_area(company))
            expired |= limits.filtered(lambda limit, today=today: limit.date_to < today)
        expired._set_state("expired")
        return expired
