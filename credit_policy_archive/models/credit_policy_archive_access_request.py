from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from odoo.addons.credit_policy import policy as credit_policy
from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import credit_trusted
from odoo.addons.credit_policy.tools import user_date

from .. import policy
from .credit_policy_archive_file import LEVELS


class CreditPolicyArchiveAccessRequest(models.Model):
    """An access request to a customer's credit file (查阅申请, seed 003):
    reader, customer, purpose, lending and return dates. Approved by the
    approver of the file's level or a Credit Manager, never by the reader;
    the approval grants read access to the file until the return date
    included, then lapses by itself."""

    _name = "credit.policy.archive.access.request"
    _description = "Credit File Access Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.policy.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    #: Set by the workflow only (see credit.policy.workflow.mixin).
    _credit_workflow_fields = frozenset(
        {"state", "user_id", "approver_ids", "decided_by_id", "decided_date", "closed_date"}
    )
    #: Derived from the customer and company by ``_compute_file_id``: they
    #: decide what the grant opens and who approves it, so nobody sets them.
    _credit_derived_fields = frozenset({"file_id", "confidentiality", "file_owner_id"})
    _credit_decision_depends = ("user_id", "create_uid", "state", "approver_ids")

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    user_id = fields.Many2one(
        "res.users",
        string="Reader",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
        help="Who asks to read the file: the person requesting.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, domain="[('parent_id', '=', False)]", tracking=True
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    file_id = fields.Many2one(
        "credit.policy.archive.file", string="Credit File", compute="_compute_file_id", store=True, index=True,
        compute_sudo=True,
    )
    confidentiality = fields.Selection(LEVELS, compute="_compute_file_id", store=True, compute_sudo=True)
    file_owner_id = fields.Many2one("res.users", compute="_compute_file_id", store=True, compute_sudo=True,
                                    string="File Owner")
    purpose = fields.Text(required=True, tracking=True)
    date_from = fields.Date(string="Lending Date", required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(string="Return Date", required=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("closed", "Returned"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    approver_ids = fields.Many2many(
        "res.users", string="Approvers", readonly=True, copy=False,
        help="Who may approve, by the file's level (a Credit Manager may always approve).",
    )
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    decided_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Date(readonly=True, copy=False)
    is_valid = fields.Boolean(string="In Force", compute="_compute_is_valid")
    # What the current user's buttons may do (credit_can_decide: see
    # _credit_decision_error): each calls the helper its server check raises from.
    credit_is_reader = fields.Boolean(
        string="Your Request",
        compute="_compute_credit_buttons",
        help="You are the reader: only you submit this request.",
    )
    credit_can_return = fields.Boolean(string="You May Return", compute="_compute_credit_buttons")

    def _customer_file(self):
        """The credit file of this request's customer in its company (superuser)."""
        self.ensure_one()
        File = self.env["credit.policy.archive.file"]
        return File._get_file_for_partner(self.partner_id, self.company_id) if self.partner_id else File

    @api.depends("partner_id", "company_id")
    def _compute_file_id(self):
        for request in self:
            file = request._customer_file()
            # The level and owner are those at the request: a later change of
            # level does not widen or narrow a request already filed.
            if file != request.file_id or not request.confidentiality:
                request.file_id = file
                request.confidentiality = file.confidentiality
                request.file_owner_id = file.owner_id

    def _compute_is_valid(self):
        for request in self:
            request.is_valid = policy.grant_is_valid(
                request.state, request.date_from, request.date_to, user_date(request, request.user_id)
            )

    @api.depends_context("uid")
    @api.depends("user_id", "state")
    def _compute_credit_buttons(self):
        for request in self:
            origin = request._origin
            if not origin.id:
                # A new request is its creator's own.
                request.credit_is_reader = request.credit_can_return = True
                continue
            request.credit_is_reader = not origin._credit_reader_error()
            request.credit_can_return = not origin._credit_return_error()

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for request in self:
            if request.date_to < request.date_from:
                raise ValidationError(self.env._("The return date cannot be before the lending date."))

    def _credit_derived_fields_error(self):
        return AccessError(
            self.env._(
                "The credit file of an access request, its level and its owner follow from the request's "
                "customer and company; they cannot be set."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # Given values, ``default_<field>`` context keys and personal
        # ``ir.default`` can leave a forged level or owner on the new request
        # (the compute keeps them when the file is right): judge the result.
        for record in records.sudo():
            file = record._customer_file()
            if (record.file_id, record.confidentiality, record.file_owner_id) != (
                file, file.confidentiality, file.owner_id
            ):
                raise self._credit_derived_fields_error()
            if record.name == "/":
                record.name = self.env["ir.sequence"].next_by_code("credit.policy.archive.access.request") or "/"
        return records

    def write(self, vals):
        if self._credit_derived_fields & vals.keys():
            raise self._credit_derived_fields_error()
        if any(request.state != "draft" for request in self) and {"partner_id", "company_id", "purpose",
                                                                    "date_from", "date_to"} & vals.keys():
            raise UserError(self.env._("Only a draft access request can be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Grants
    # ------------------------------------------------------------------
    @api.model
    def _valid_grants_domain(self, user, today=None):
        # The reader's own calendar, never the time zone his client sends.
        today = today or user_date(self, user)
        return [
            ("user_id", "=", user.id),
            ("state", "=", "approved"),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
        ]

    @api.model
    def _valid_grants(self, user, files=None):
        """The access grants in force today for ``user`` (on ``files``)."""
        domain = self._valid_grants_domain(user)
        if files is not None:
            domain = expression.AND([domain, [("file_id", "in", files.ids)]])
        return self.sudo().search(domain, order="date_to desc")

    def _approvers(self):
        """Who approves this request by the file's level (seed 003), besides
        the Credit Managers: personal, the owner's department manager (his
        sales team's leader); department, the company's sales director;
        company, the company's approver group (the general manager's)."""
        self.ensure_one()
        role = policy.approver_role(self.confidentiality or policy.LEVEL_DEPARTMENT)
        company = self.company_id
        if role == "department_manager":
            file = self.file_id
            return (file.team_id.user_id or file.owner_id.sale_team_id.user_id)
        if role == "sales_director":
            return company.credit_archive_director_id or self.env.ref("sales_team.group_sale_manager").users
        group = company.credit_archive_company_approver_group_id or self.env.ref(
            "credit_policy.group_credit_policy_general_manager"
        )
        return group.users

    def _credit_requesters(self):
        return self.user_id | self.create_uid

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _credit_reader_error(self):
        """The AccessError refusing the current user's submission of this
        request, or None: only the reader asks to read."""
        self.ensure_one()
        if self.user_id != self.env.user:
            return AccessError(self.env._("Only the reader submits his access request."))
        return None

    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft access request can be submitted."))
            request._credit_raise_errors(lambda rec: rec._credit_reader_error())
            if not request.file_id:
                raise UserError(
                    self.env._("%(customer)s has no credit file yet.", customer=request.partner_id.display_name)
                )
            # Superuser: the reader does not read the file whose approvers he needs.
            approvers = (request.sudo()._approvers() - request.user_id).filtered("active")
            credit_trusted(request.sudo()).write({"state": "to_approve", "approver_ids": [(6, 0, approvers.ids)]})
            for approver in approvers:
                request.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=approver.id,
                    summary=self.env._("Approve an access request to a credit file"),
                )
        return True

    def _credit_decision_error(self):
        # OVERRIDES credit.policy.workflow.mixin: who approves or refuses an
        # access request (the form's Approve and Refuse: credit_can_decide).
        self.ensure_one()
        user = self.env.user
        if self.state != "to_approve":
            return UserError(self.env._("Only a submitted access request can be decided."))
        if not user.has_group("credit_policy.group_credit_policy_manager") and user not in self.approver_ids:
            return AccessError(
                self.env._(
                    "%(request)s is decided by its level's approver or a Credit Manager.",
                    request=self.display_name,
                )
            )
        # Nobody grants himself access: the four-eyes principle holds
        # here whatever the company's setting.
        if credit_policy.four_eyes_violation(user.id, set(self.sudo()._credit_requesters().ids), set()):
            return AccessError(
                self.env._(
                    "%(request)s: nobody decides his own access request; another person must decide it.",
                    request=self.display_name,
                )
            )
        return None

    def _check_may_decide(self):
        self._credit_raise_errors(lambda request: request._credit_decision_error())

    def action_approve(self):
        self._check_may_decide()
        credit_trusted(self.sudo()).write(
            {"state": "approved", "decided_by_id": self.env.uid, "decided_date": fields.Datetime.now()}
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        for request in self.sudo():
            request.message_post(
                body=self.env._(
                    "Access granted to %(reader)s until %(date)s.", reader=request.user_id.name, date=request.date_to
                ),
                partner_ids=request.user_id.partner_id.ids,
            )
        return True

    def action_refuse(self):
        self._check_may_decide()
        credit_trusted(self.sudo()).write(
            {"state": "refused", "decided_by_id": self.env.uid, "decided_date": fields.Datetime.now()}
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def _credit_return_error(self):
        """The exception refusing the current user's closing of this request,
        or None: the reader or a Credit Manager closes an open request."""
        self.ensure_one()
        if self.user_id != self.env.user and not self.env.user.has_group(
            "credit_policy.group_credit_policy_manager"
        ):
            return AccessError(self.env._("Only the reader or a Credit Manager closes an access request."))
        if self.state not in ("draft", "to_approve", "approved"):
            return UserError(self.env._("This access request is already closed."))
        return None

    def action_return(self):
        """The reader returns the file before the return date."""
        self._credit_raise_errors(lambda request: request._credit_return_error())
        for request in self.sudo():
            # Returned on the reader's day, as his grant counts it.
            credit_trusted(request).write({"state": "closed", "closed_date": user_date(request, request.user_id)})
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_open_file(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.policy.archive.file",
            "res_id": self.file_id.id,
            "view_mode": "form",
        }

    @api.model
    def _cron_close_expired_grants(self):
        """Close the grants whose return date has passed in their reader's
        calendar, as the record rules see it (they already stopped reading on
        the day after), whatever the time zone the scheduled action runs in."""
        # A grant over for its reader ended on UTC's today at the latest.
        candidates = self.sudo().search([("state", "=", "approved"), ("date_to", "<=", fields.Date.today())])
        for request in candidates:
            today = user_date(request, request.user_id)
            if request.date_to < today:
                credit_trusted(request).write({"state": "closed", "closed_date": today})
        return True
