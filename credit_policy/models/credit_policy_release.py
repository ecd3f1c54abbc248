import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.credit_policy import policy
from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import is_credit_trusted
from odoo.addons.credit_policy.models.stock_move import OWN_STOCK_USAGES
from odoo.addons.credit_policy.tools import env_in_language

_logger = logging.getLogger(__name__)

OPEN_STATES = ("blocked", "requested")


def _code_set(failure_codes):
    """The rule codes of a ``failure_codes`` snapshot (comma-separated)."""
    return set(filter(None, (failure_codes or "").split(",")))


class CreditPolicyRelease(models.Model):
    """A delivery blocked by the credit policy, its release request and the decision.

    POLICY.md §4: a blocked delivery may be released by an authorised person,
    who must enter the reason; the release is one-off for that delivery. The
    record keeps the failed rules and the figures at the time, who requested,
    who decided, when and why. The delivery guard (``stock.move._action_done``)
    accepts a delivery only with a record in state ``released`` that is still
    valid for the delivery's value (see :meth:`_is_valid_for`).

    The workflow fields are set by the server's own methods only
    (:meth:`_request`, :meth:`_release`, :meth:`_reject`), which check the
    user's rights first and then write as superuser: a direct ``write`` of
    them, even by a Credit Manager over RPC, is refused.
    """

    _name = "credit.policy.release"
    _description = "Credit Release of a Blocked Delivery"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.policy.workflow.mixin"]
    _credit_decision_depends = ("requested_by_id", "company_id", "state", "amount", "failure_codes")
    _order = "id desc"
    _check_company_auto = True

    # All of it: the delivery block records it, the server's own methods
    # (request, release, reject) move it on, as superuser.
    _credit_workflow_fields = frozenset(
        {
            "state", "amount", "failure_codes", "failure_summary", "figures", "grade_id",
            "limit_amount", "exposure_amount", "available_amount", "overdue_amount",
            "oldest_overdue_days", "dunning_stage", "crisis_level", "requested_by_id", "request_date",
            "request_note", "decided_by_id", "decision_date", "reason", "expiry_date", "picking_id",
            "partner_id", "company_id", "validate_activity_id",
        }
    )

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        help="The commercial entity whose credit the delivery is checked against.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    sale_id = fields.Many2one(related="picking_id.sale_id", string="Sale Order")
    picking_state = fields.Selection(
        related="picking_id.state", string="Delivery Status", store=True, index=True
    )
    state = fields.Selection(
        [
            ("blocked", "Blocked"),
            ("requested", "Release Requested"),
            ("released", "Released"),
            ("rejected", "Rejected"),
            ("used", "Shipped"),
            ("expired", "Lapsed"),
            ("cleared", "Cleared"),
        ],
        default="blocked",
        required=True,
        readonly=True,
        tracking=True,
        help="Blocked: validation was refused. Release Requested: the warehouse "
        "asked the credit department. Released: the delivery may be validated "
        "while the release is valid. Shipped: the delivery was validated under "
        "this release. Lapsed: the release expired or the delivery's value grew "
        "beyond the tolerance. Cleared: the credit rules no longer block the "
        "delivery (e.g. the customer paid).",
    )
    amount = fields.Monetary(
        string="Delivery Value",
        readonly=True,
        help="Value of the goods being shipped when the delivery was blocked, "
        "and again when it was released; a released delivery whose value "
        "grows beyond the tolerance is blocked again.",
    )
    # Snapshot of the rule evaluation (refreshed when released).
    failure_codes = fields.Char(string="Failed Rule Codes", readonly=True)
    failure_summary = fields.Text(string="Failed Rules", readonly=True)
    figures = fields.Json(string="Figures", readonly=True)
    grade_id = fields.Many2one("credit.policy.grade", string="Grade", readonly=True)
    limit_amount = fields.Monetary(string="Credit Limit", readonly=True, help="Effective limit, temporary limits included.")
    exposure_amount = fields.Monetary(string="Exposure", readonly=True)
    available_amount = fields.Monetary(string="Available Credit", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue Amount", readonly=True)
    oldest_overdue_days = fields.Integer(string="Oldest Overdue (days)", readonly=True)
    dunning_stage = fields.Char(string="Dunning Stage", readonly=True)
    crisis_level = fields.Integer(
        string="Crisis Level", readonly=True, help="The customer's crisis response level when the delivery was checked."
    )
    manager_required = fields.Boolean(
        string="Needs Credit Manager",
        compute="_compute_manager_required",
        store=True,
        help="The value is above the company's manager threshold, or shipping "
        "is stopped by dunning: only a Credit Manager may release.",
    )
    requested_by_id = fields.Many2one("res.users", string="Requested By", readonly=True)
    request_date = fields.Datetime(string="Requested On", readonly=True)
    request_note = fields.Text(string="Request Message", readonly=True)
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decision_date = fields.Datetime(string="Decided On", readonly=True)
    reason = fields.Text(string="Reason", readonly=True, help="Why the delivery was released or rejected.")
    expiry_date = fields.Datetime(
        string="Release Valid Until",
        readonly=True,
        help="After this moment the release no longer lets the delivery through.",
    )
    validate_activity_id = fields.Many2one(
        "mail.activity",
        string="Requester's To-Do",
        readonly=True,
        ondelete="set null",
        help="The requester's to-do to validate the released delivery, closed once the release is used or lapses.",
    )
    age_days = fields.Integer(
        string="Age (days)", compute="_compute_age_days", help="Days since the delivery was blocked."
    )

    @api.depends("amount", "failure_codes", "company_id.credit_release_manager_amount")
    def _compute_manager_required(self):
        for release in self:
            release.manager_required = release._needs_manager(release.amount, release.failure_codes)

    def _compute_age_days(self):
        now = fields.Datetime.now()
        for release in self:
            release.age_days = (now - release.create_date).days if release.create_date else 0

    @api.depends("picking_id", "partner_id")
    def _compute_display_name(self):
        for release in self:
            release.display_name = _(
                "%(delivery)s – %(customer)s",
                delivery=release.picking_id.sudo().name,
                customer=release.partner_id.display_name,
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_credit_trusted(self.env):
            # Only validating the delivery records its block.
            raise AccessError(_("A blocked delivery is recorded by validating it, never by hand."))
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") in ("used", "expired", "cleared"):
            # "Validate it now" no longer holds: shipped, or no longer released.
            self.sudo().validate_activity_id.unlink()
        return res

    def _credit_requesters(self):
        return self.requested_by_id

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if any(release.state not in OPEN_STATES for release in self):
            raise UserError(_("A decided credit release is an audit record and cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions (buttons)
    # ------------------------------------------------------------------
    def action_open_release_wizard(self):
        return self._action_open_decision_wizard("release")

    def action_open_reject_wizard(self):
        return self._action_open_decision_wizard("reject")

    def _action_open_decision_wizard(self, decision):
        if any(release.state not in OPEN_STATES for release in self):
            raise UserError(_("Only blocked deliveries and open requests can be released or rejected."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Delivery") if decision == "release" else _("Reject Release"),
            "res_model": "credit.policy.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_release_ids": self.ids, "default_decision": decision},
        }

    def _action_open_block_prompt(self):
        """The prompt shown instead of validating these blocked deliveries."""
        wizard = self.env["credit.policy.delivery.block.wizard"].create({"release_ids": self.ids})
        return {
            "type": "ir.actions.act_window",
            "name": _("Delivery Blocked by the Credit Policy"),
            "res_model": "credit.policy.delivery.block.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_view_picking(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _needs_manager(self, amount, failure_codes):
        """Whether releasing a delivery of ``amount`` that failed ``failure_codes``
        (comma-separated) is reserved to Credit Managers (policy.release_needs_manager)."""
        self.ensure_one()
        return policy.release_needs_manager(
            amount,
            self.company_id.root_id.credit_release_manager_amount,
            _code_set(failure_codes),
            rounding=self.currency_id.rounding,
        )

    def _is_valid_for(self, value, failure_codes):
        """Whether this release still lets its delivery through at ``value``
        when the rules ``failure_codes`` fail: released and covering them
        (:meth:`_covers`) until its expiry."""
        self.ensure_one()
        return self.state == "released" and self._covers(value, failure_codes, self.expiry_date)

    def _covers(self, value, failure_codes, expires_at=None):
        """Whether this record's value and reasons cover the delivery at
        ``value`` failing ``failure_codes`` (a list): the same reasons or
        fewer (policy.release_covers), a value within the tolerance
        (policy.release_still_valid), before ``expires_at``."""
        self.ensure_one()
        return policy.release_covers(_code_set(self.failure_codes), failure_codes) and policy.release_still_valid(
            self.amount,
            value,
            self.company_id.root_id.credit_release_tolerance_percent,
            expires_at,
            fields.Datetime.now(),
            rounding=self.currency_id.rounding,
        )

    @api.model
    def _prepare_snapshot_vals(self, partner, company, result, value):
        """Values recording a rule evaluation (``CreditCheckResult``) of
        ``partner`` in ``company`` and the delivery's ``value``."""
        figures = result.figures
        return {
            "amount": value,
            "failure_codes": ",".join(failure.code for failure in result.failures),
            "failure_summary": "\n".join(failure.message for failure in result.failures),
            "figures": {key: val for key, val in figures.items() if isinstance(val, (int, float, str))},
            "grade_id": partner.with_company(company.root_id).sudo().credit_grade_id.id,
            "limit_amount": figures.get("effective_limit", 0.0),
            "exposure_amount": figures.get("exposure", 0.0),
            "available_amount": figures.get("available", 0.0),
            "overdue_amount": figures.get("overdue_amount", 0.0),
            "oldest_overdue_days": figures.get("oldest_overdue_days", 0),
            "dunning_stage": figures.get("dunning_stage") and str(figures["dunning_stage"]) or False,
            "crisis_level": int(figures.get("crisis_level") or 0),
        }

    def _request(self, note=False):
        """Ask the credit department to release these blocked deliveries:
        record who asked, and schedule an activity for each credit controller."""
        self.check_access("read")
        to_request = self.filtered(lambda r: r.state == "blocked")
        if not to_request:
            return
        # Sudo: warehouse staff file the request but may not write the record.
        to_request.sudo().write(
            {
                "state": "requested",
                "requested_by_id": self.env.uid,
                "request_date": fields.Datetime.now(),
                "request_note": note,
            }
        )
        for release in to_request.sudo():
            controllers = release._get_credit_controllers()
            for user in controllers:
                release.activity_schedule(
                    "mail.mail_activity_data_todo",
                    # In the controller's language, not the requester's.
                    summary=env_in_language(release, user)._(
                        "Release blocked delivery %(delivery)s", delivery=release.picking_id.name
                    ),
                    note=release.failure_summary,
                    user_id=user.id,
                )
            release.message_post(
                body=_("Release requested by %(user)s: %(note)s", user=self.env.user.name, note=note)
                if note
                else _("Release requested by %(user)s.", user=self.env.user.name),
            )

    def _clear(self, message=None):
        """Close the open records of deliveries the credit rules no longer
        block (or cancelled: ``message`` says why)."""
        to_clear = self.sudo().filtered(lambda r: r.state in OPEN_STATES)
        if not to_clear:
            return
        to_clear.write({"state": "cleared"})
        to_clear.activity_unlink(["mail.mail_activity_data_todo"])
        for release in to_clear:
            release.message_post(body=message or _("The credit rules no longer block this delivery."))

    def action_check_ready_deliveries(self):
        """Check every delivery ready to ship now, so that credit staff see the
        blocked ones before the warehouse validates them (button of the
        blocked list, and the daily scheduled action)."""
        self._check_decision_rights()
        count = self._check_ready_deliveries(self.env.companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if count else "success",
                "message": _("%(count)s ready deliveries are blocked by the credit policy.", count=count),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_check_ready_deliveries(self):
        self._check_ready_deliveries(self.env["res.company"].search([]))

    @api.model
    def _check_ready_deliveries(self, companies):
        """Record the blocked deliveries among the ready ones of ``companies``.

        :return: the number of blocked deliveries
        """
        # Sudo: credit staff need not read stock; records are company-bound.
        # Any transfer shipping our goods to a customer, whatever its
        # operation type (the moves decide, see stock.move).
        pickings = self.env["stock.move"].sudo().search(
            [
                ("picking_id.state", "=", "assigned"),
                ("state", "not in", ("done", "cancel")),
                ("location_id.usage", "in", OWN_STOCK_USAGES),
                ("location_dest_id.usage", "=", "customer"),
                ("company_id", "in", companies.ids),
            ]
        ).picking_id
        blocked = self.browse()
        # Each delivery as if validated on its own now. One the warehouse could
        # not validate (e.g. addressed to another customer than its order's) is
        # left to its validation: found before anything is written, so that
        # the others are still checked.
        for picking in pickings.with_context(credit_policy_ready_check=True):
            try:
                for move in picking._credit_policy_moves():
                    picking._credit_policy_check_customer(move)
            except UserError as error:
                _logger.info("Ready delivery %s not checked: %s", picking.name, error)
                continue
            blocked |= picking.with_company(picking.company_id)._credit_policy_block_releases()
        return len(blocked)

    def _get_credit_controllers(self):
        """Users who may decide on this release: credit controllers of its
        company, or only managers when the release needs one."""
        self.ensure_one()
        group = "credit_policy.group_credit_policy_manager" if self.manager_required else (
            "credit_policy.group_credit_policy_controller"
        )
        return self.env.ref(group).users.filtered(
            lambda u: not u.share and u.active and self.company_id in u.company_ids and u.id != self.env.ref("base.user_root").id
        )

    def _decision_rights_error(self):
        """The AccessError refusing the current user any decision on blocked
        deliveries, or None: Credit Controllers and Credit Managers decide."""
        if not self.env.user.has_group("credit_policy.group_credit_policy_controller"):
            return AccessError(_("Only Credit Controllers and Credit Managers may release or reject blocked deliveries."))
        return None

    def _check_decision_rights(self):
        # the user's group, whatever the deliveries (none, from a wizard)
        error = self._decision_rights_error()
        if error:
            raise error

    def _manager_release_error(self, value, failure_codes):
        """The AccessError refusing the current user's release of this
        delivery at ``value`` failing ``failure_codes``, or None: above the
        manager threshold or with shipping stopped by dunning, only a Credit
        Manager releases (:meth:`_needs_manager`)."""
        self.ensure_one()
        if self.env.user.has_group("credit_policy.group_credit_policy_manager") or not self._needs_manager(
            value, failure_codes
        ):
            return None
        return AccessError(
            _(
                "Only a Credit Manager may release delivery %(delivery)s: its value is above "
                "the manager threshold or shipping is stopped by dunning.",
                delivery=self.picking_id.sudo().name,
            )
        )

    def _credit_decision_error(self):
        # EXTENDS credit.policy.workflow.mixin: the Release button's rules, on
        # the figures the release recorded (_release checks them again on the
        # delivery as it is then).
        return (
            self._decision_rights_error()
            or self._credit_four_eyes_error()
            or self._manager_release_error(self.amount, self.failure_codes)
        )

    def _release(self, reason):
        """Release these deliveries with ``reason`` after re-evaluating them now.

        Checked here, whatever the caller: Credit Controllers may release,
        Credit Managers only when the value is above the company's manager
        threshold or dunning stopped shipping.
        """
        self._check_decision_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Enter the reason for releasing the delivery."))
        now = fields.Datetime.now()
        for release in self:
            if release.state not in OPEN_STATES:
                raise UserError(
                    _("%(release)s is not awaiting a release.", release=release.display_name)
                )
            release._credit_raise_if_four_eyes_broken()
            picking = release.picking_id.sudo()
            if picking.state in ("done", "cancel"):
                raise UserError(
                    _("Delivery %(delivery)s is already done or cancelled.", delivery=picking.name)
                )
            value, _uncounted, result = picking._credit_policy_evaluate(partner=release.partner_id)
            vals = self._prepare_snapshot_vals(release.partner_id, release.company_id, result, value)
            # The decision covers the value and the reasons the decider saw on
            # the request: a delivery grown or blocked for other reasons since
            # is asked about again, with its new figures.
            if not release._covers(value, result.failure_codes):
                raise UserError(
                    _(
                        "Delivery %(delivery)s changed since its release was requested: it is now worth "
                        "%(value)s and breaks: %(rules)s. Refresh it (Check Ready Deliveries, or validate "
                        "it again), then decide on the new figures.",
                        delivery=picking.name,
                        value=release.currency_id.format(value),
                        rules=vals["failure_summary"] or _("no rule"),
                    )
                )
            release._credit_raise_errors(lambda rec: rec._manager_release_error(value, vals["failure_codes"]))
            validity = release.company_id.root_id.credit_release_validity_days
            vals.update(
                state="released",
                decided_by_id=self.env.uid,
                decision_date=now,
                reason=reason,
                expiry_date=validity and now + timedelta(days=validity) or False,
            )
            release.sudo().write(vals)
            release._post_decision(
                _(
                    "Credit release of delivery %(delivery)s (value %(value)s) by %(user)s. "
                    "Reason: %(reason)s. Failed rules: %(rules)s",
                    delivery=picking.name,
                    value=release.currency_id.format(value),
                    user=self.env.user.name,
                    reason=reason,
                    rules=vals["failure_summary"] or _("none at release time"),
                )
            )
            release._notify_requester()

    def _reject(self, reason):
        """Refuse to release these deliveries with ``reason`` and tell the requester."""
        self._check_decision_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Enter the reason for rejecting the release."))
        for release in self:
            if release.state not in OPEN_STATES:
                raise UserError(
                    _("%(release)s is not awaiting a release.", release=release.display_name)
                )
            release.sudo().write(
                {
                    "state": "rejected",
                    "decided_by_id": self.env.uid,
                    "decision_date": fields.Datetime.now(),
                    "reason": reason,
                }
            )
            release._post_decision(
                _(
                    "Credit release of delivery %(delivery)s rejected by %(user)s. Reason: %(reason)s",
                    delivery=release.picking_id.sudo().name,
                    user=self.env.user.name,
                    reason=reason,
                ),
            )
            release._notify_requester()

    def _post_decision(self, body, notify=None):
        """Post the decision in the release's, the delivery's and the customer's
        chatter, close the controllers' activities, and notify ``notify``
        (the requester is told by :meth:`_notify_requester`, in his language)."""
        self.ensure_one()
        # Sudo: credit staff need not have write access to deliveries or
        # customers to leave this audit trace; the author stays the user.
        author = self.env.user.partner_id.id
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        self.sudo().message_post(
            body=body,
            author_id=author,
            partner_ids=notify.ids if notify else [],
            subtype_xmlid="mail.mt_comment" if notify else "mail.mt_note",
        )
        self.picking_id.sudo().message_post(
            body=body, author_id=author, partner_ids=notify.ids if notify else []
        )
        self.partner_id.sudo().message_post(body=body, author_id=author)

    def _notify_requester(self):
        """Tell who asked for the release what the credit department decided,
        with the reason, in his own language: a message addressed to him on
        the release (his inbox) and, when released, a to-do on the delivery to
        validate it again."""
        self.ensure_one()
        requester = self.requested_by_id
        if not requester or requester == self.env.user or self.state not in ("released", "rejected"):
            return
        # Sudo: the decider need not write deliveries; the author stays the user.
        env = env_in_language(self.sudo(), requester)
        release = self.with_env(env)
        delivery = release.picking_id.name
        decider = self.env.user.name
        if release.state == "released":
            body = env._(
                "Delivery %(delivery)s has been released by %(user)s: you can validate it now. Reason: %(reason)s",
                delivery=delivery,
                user=decider,
                reason=release.reason,
            )
            activity = release.picking_id.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Validate delivery %(delivery)s: credit released", delivery=delivery),
                note=release.reason,
                user_id=requester.id,
            )
            release.write({"validate_activity_id": activity.id})
        else:
            body = env._(
                "The credit release of delivery %(delivery)s has been rejected by %(user)s. Reason: %(reason)s",
                delivery=delivery,
                user=decider,
                reason=release.reason,
            )
        release.message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            partner_ids=requester.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
