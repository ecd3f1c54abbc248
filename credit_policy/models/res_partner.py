from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.credit_policy import policy
from odoo.addons.credit_policy.tools import company_date

from .credit_policy_crisis_level import CRISIS_LEVELS
from .credit_policy_status import STATUSES

# Credit master data only a Credit Manager or an approved evaluation may change.
CREDIT_MASTER_FIELDS = (
    "credit_limit",
    "credit_grade_id",
    "credit_term_days",
    "credit_on_hold",
    "credit_group_head_id",
    "credit_collateral_value",
    "credit_collateral_note",
    "credit_last_review_date",
    "credit_next_review_date",
)
# Master data a grade bounds (POLICY.md §2): changing one re-checks the grant.
CREDIT_GRANT_FIELDS = ("credit_limit", "credit_grade_id", "credit_term_days", "credit_collateral_value")
# Master data the credit status snapshot depends on.
CREDIT_STATUS_FIELDS = ("credit_limit", "credit_on_hold", "credit_group_head_id")
CREDIT_USER = "credit_policy.group_credit_policy_user"
# The watch status (POLICY.md §2, seed 004): set and lifted by the credit
# department only, through _credit_policy_set_watch, never written directly.
CREDIT_WATCH_FIELDS = ("credit_watch", "credit_watch_reason", "credit_watch_user_id", "credit_watch_date")
CREDIT_CONTROLLER = "credit_policy.group_credit_policy_controller"
# Exposure components shown on the Credit tab, each with its own documents.
EXPOSURE_COMPONENT_CODES = (
    "receivable",
    "draft_invoice",
    "delivered_uninvoiced",
    "open_order",
    "down_payment",
    "shipped_uninvoiced",
)
CREDIT_MANAGER = "credit_policy.group_credit_policy_manager"
GENERAL_MANAGER = "credit_policy.group_credit_policy_general_manager"
# Who hands a customer from one salesperson to another.
SALESPERSON_ASSIGNERS = (
    "sales_team.group_sale_manager",
    "credit_policy.group_credit_policy_regional_manager",
    CREDIT_MANAGER,
)
# Need-to-know: the credit department's confidential work (history) and what
# salespeople (own customers), approvers (chains they review) and the credit
# department see of evaluations and red flags; record rules narrow the rows.
CREDIT_CONFIDENTIAL = "credit_policy.group_credit_policy_officer"
CREDIT_CASE_READERS = (
    "sales_team.group_sale_salesman,"
    "credit_policy.group_credit_policy_approver,"
    "credit_policy.group_credit_policy_officer"
)


class ResPartner(models.Model):
    """Credit master data of a customer, per company (POLICY.md §2).

    The granted limit is Odoo's own company-dependent ``credit_limit``; credit
    users may read it too. All credit master data (``CREDIT_MASTER_FIELDS``:
    grade, limit, term, credit hold, group head, collateral, review dates)
    changes only through ``_credit_policy_set_master_data``, which checks the
    grade's bounds and writes the history. Credit data is readable by credit
    users only: the figures are computed through sudo.
    """

    _inherit = "res.partner"

    credit_limit = fields.Float(
        groups="account.group_account_invoice,account.group_account_readonly,"
        "credit_policy.group_credit_policy_user",
        tracking=True,
    )
    credit_grade_id = fields.Many2one(
        "credit.policy.grade",
        string="Credit Grade",
        company_dependent=True,
        tracking=True,
        groups=CREDIT_USER,
    )
    credit_term_days = fields.Integer(
        string="Credit Term (days)", company_dependent=True, tracking=True, groups=CREDIT_USER
    )
    credit_collateral_value = fields.Float(
        string="Collateral Value",
        company_dependent=True,
        help="Value of the recorded mortgage or guarantee, in company currency.",
        groups=CREDIT_USER,
    )
    credit_collateral_note = fields.Char(string="Collateral", company_dependent=True, groups=CREDIT_USER)
    credit_last_review_date = fields.Date(string="Last Credit Review", company_dependent=True, groups=CREDIT_USER)
    credit_next_review_date = fields.Date(string="Next Credit Review", company_dependent=True, groups=CREDIT_USER)
    credit_on_hold = fields.Boolean(
        string="Credit Hold",
        company_dependent=True,
        tracking=True,
        help="Blacklisted: no credit sale and no delivery until lifted.",
        groups=CREDIT_USER,
    )

    # Watch (POLICY.md §2, seed 004): a customer under doubt pays a share first.
    credit_watch = fields.Boolean(
        string="On Watch",
        company_dependent=True,
        tracking=True,
        groups=CREDIT_USER,
        help="A customer under doubt: each order's prepayment share (the larger of the grade's and the "
        "company's Prepayment Share on Watch) must be received before delivery. Put on watch and lifted "
        "by the credit department (Credit Controller), with the reason.",
    )
    credit_watch_reason = fields.Text(
        string="Watch Reason", company_dependent=True, tracking=True, groups=CREDIT_USER,
        help="Why the customer was put on watch.",
    )
    credit_watch_user_id = fields.Many2one(
        "res.users", string="Put on Watch By", company_dependent=True, groups=CREDIT_USER
    )
    credit_watch_date = fields.Date(string="On Watch Since", company_dependent=True, groups=CREDIT_USER)

    # Group credit (POLICY.md §4): the head holds the limit shared by its members.
    credit_group_head_id = fields.Many2one(
        "res.partner",
        string="Credit Group Head",
        index=True,
        tracking=True,
        domain="[('is_company', '=', True), ('credit_group_head_id', '=', False), ('id', '!=', id)]",
        help="Company holding the credit limit this customer shares (group credit). "
        "The customer may still carry its own credit limit as a sub-limit.",
        groups=CREDIT_USER,
    )
    credit_group_member_ids = fields.One2many(
        "res.partner", "credit_group_head_id", string="Credit Group Members",
        groups=CREDIT_USER,
    )
    credit_temporary_limit_ids = fields.One2many(
        "credit.policy.temporary.limit", "partner_id", string="Temporary Limit Requests", groups=CREDIT_USER
    )
    # Read with the account on every check: most customers hold no approved
    # temporary limit, and their check then skips looking for one.
    credit_temporary_limit_granted = fields.Boolean(
        string="Holds Approved Temporary Limits", compute="_compute_credit_temporary_limit_granted",
        store=True, groups=CREDIT_USER,
    )
    # Read with the account on every check: most accounts head no group, and
    # their check then skips the search for members.
    credit_group_is_head = fields.Boolean(
        string="Heads a Credit Group", compute="_compute_credit_group_is_head", store=True,
        groups=CREDIT_USER,
    )

    # Live figures of the customer's credit account, in the current company.
    credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_credit_figures", string="Credit Currency", groups=CREDIT_USER
    )
    credit_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Open receivables + draft invoices + delivered not invoiced + confirmed "
        "orders not yet delivered within the horizon; for a credit group head, "
        "summed over its members.",
        groups=CREDIT_USER,
    )
    # The exposure by component (credit.policy.check._get_exposure_components).
    credit_exposure_receivable = fields.Monetary(
        string="Open Receivables", compute="_compute_credit_figures",
        currency_field="credit_currency_id", groups=CREDIT_USER,
    )
    credit_exposure_draft_invoice = fields.Monetary(
        string="Draft Invoices", compute="_compute_credit_figures",
        currency_field="credit_currency_id", groups=CREDIT_USER,
    )
    credit_exposure_delivered_uninvoiced = fields.Monetary(
        string="Delivered, Not Invoiced", compute="_compute_credit_figures",
        currency_field="credit_currency_id", groups=CREDIT_USER,
    )
    credit_exposure_open_order = fields.Monetary(
        string="Confirmed Orders Not Delivered", compute="_compute_credit_figures",
        currency_field="credit_currency_id", groups=CREDIT_USER,
    )
    credit_exposure_down_payment = fields.Monetary(
        string="Down Payments Not Yet Deducted", compute="_compute_credit_figures",
        currency_field="credit_currency_id", groups=CREDIT_USER,
    )
    credit_exposure_shipped_uninvoiced = fields.Monetary(
        string="Shipped Without Order, Not Invoiced", compute="_compute_credit_figures",
        currency_field="credit_currency_id", groups=CREDIT_USER,
    )
    credit_temporary_limit = fields.Monetary(
        string="Temporary Limits",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Approved, unexpired temporary credit limits.",
        groups=CREDIT_USER,
    )
    credit_effective_limit = fields.Monetary(
        string="Effective Limit",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Credit limit + approved, unexpired temporary limits.",
        groups=CREDIT_USER,
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        groups=CREDIT_USER,
    )
    credit_usage_percent = fields.Float(
        string="Credit Usage (%)",
        compute="_compute_credit_figures",
        search="_search_credit_usage_percent",
        digits=(16, 1),
        groups=CREDIT_USER,
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        groups=CREDIT_USER,
    )
    credit_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)", compute="_compute_credit_figures", groups=CREDIT_USER
    )
    credit_status = fields.Selection(
        STATUSES,
        compute="_compute_credit_figures",
        search="_search_credit_status",
        help="Live status; searching uses the status snapshot refreshed by "
        "invoices, payments, orders, deliveries and nightly.",
        groups=CREDIT_USER,
    )
    credit_temporary_limit_count = fields.Integer(
        compute="_compute_credit_temporary_limit_count", groups=CREDIT_USER
    )
    credit_history_ids = fields.One2many(
        "credit.policy.limit.history",
        "partner_id",
        string="Credit History",
        groups=CREDIT_CONFIDENTIAL,
    )
    credit_history_count = fields.Integer(
        compute="_compute_credit_history_count", groups=CREDIT_CONFIDENTIAL
    )
    # The buttons opening the documents behind a figure, shown to whom may read them.
    credit_can_view_receivables = fields.Boolean(
        compute="_compute_credit_can_view_documents", groups=CREDIT_USER
    )
    credit_can_view_orders = fields.Boolean(compute="_compute_credit_can_view_documents", groups=CREDIT_USER)
    credit_area_company_id = fields.Many2one(
        "res.company",
        string="Credit Kept In",
        compute="_compute_credit_area_company_id",
        help="The parent company keeping the customers' credit when the current company is a branch.",
    )
    credit_red_flag_ids = fields.One2many(
        "credit.policy.red.flag",
        "partner_id",
        string="Red Flags",
        groups=CREDIT_CASE_READERS,
    )
    credit_crisis_signal_ids = fields.One2many(
        "credit.policy.crisis.signal",
        "partner_id",
        string="Crisis Signals",
        groups=CREDIT_CASE_READERS,
    )
    credit_crisis_level = fields.Selection(
        CRISIS_LEVELS,
        string="Crisis Response Level",
        compute="_compute_credit_crisis_level",
        groups=CREDIT_CASE_READERS,
        help="Set by the server from the customer's active crisis signals (POLICY.md §5): 1 restricts "
        "shipping (a Credit Controller releases each delivery), 2 needs a Credit Manager's release, "
        "3 stops shipping and blocks new orders. Lifted when the signals clear.",
    )
    credit_crisis_litigation = fields.Boolean(
        string="Litigation Prepared", compute="_compute_credit_crisis_level", groups=CREDIT_CASE_READERS
    )
    credit_evaluation_ids = fields.One2many(
        "credit.policy.evaluation",
        "partner_id",
        string="Credit Evaluations",
        groups=CREDIT_CASE_READERS,
    )
    credit_evaluation_count = fields.Integer(
        compute="_compute_credit_evaluation_count", groups=CREDIT_CASE_READERS
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id", "credit_group_head_id")
    def _compute_credit_figures(self):
        company = self.env.company
        check = self.env["credit.policy.check"]
        partners = self.filtered("id")
        accounts = self.browse(
            {check._get_credit_account(p).id for p in partners.sudo()}
        )
        figures = check._get_credit_figures(accounts, company) if accounts else {}
        for partner in self:
            fig = figures.get(check._get_credit_account(partner.sudo()).id) if partner.id else None
            partner.credit_currency_id = company.currency_id
            components = (fig or {}).get("components") or {}
            partner.update(
                {
                    f"credit_exposure_{code}": components.get(code, 0.0)
                    for code in EXPOSURE_COMPONENT_CODES
                }
            )
            if not fig:
                partner.update(
                    {
                        "credit_exposure": 0.0,
                        "credit_temporary_limit": 0.0,
                        "credit_effective_limit": 0.0,
                        "credit_available": 0.0,
                        "credit_usage_percent": 0.0,
                        "credit_overdue_amount": 0.0,
                        "credit_oldest_overdue_days": 0,
                        "credit_status": policy.STATUS_NO_LIMIT,
                    }
                )
                continue
            partner.update(
                {
                    "credit_exposure": fig["exposure"],
                    "credit_temporary_limit": fig["temporary_limit"],
                    "credit_effective_limit": fig["effective_limit"],
                    "credit_available": fig["available"],
                    "credit_usage_percent": fig["usage_percent"],
                    "credit_overdue_amount": fig["overdue_amount"],
                    "credit_oldest_overdue_days": fig["oldest_overdue_days"],
                    "credit_status": fig["status"],
                }
            )

    def _search_credit_snapshot(self, field_name, operator, value):
        """Search the indexed status snapshot of the current company."""
        rows = self.env["credit.policy.status"].sudo()._search(
            [("company_id", "=", self.env.company.root_id.id), (field_name, operator, value)]
        )
        return [("id", "in", rows.subselect("partner_id"))]

    def _search_credit_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on credit status."))
        return self._search_credit_snapshot("status", operator, value)

    def _search_credit_usage_percent(self, operator, value):
        if operator not in ("=", "!=", "<", "<=", ">", ">="):
            raise UserError(self.env._("Unsupported search on credit usage."))
        return self._search_credit_snapshot("usage_percent", operator, value)

    def _compute_credit_temporary_limit_count(self):
        rows = self.env["credit.policy.temporary.limit"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in rows}
        for partner in self:
            partner.credit_temporary_limit_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.depends("credit_temporary_limit_ids.state")
    def _compute_credit_temporary_limit_granted(self):
        rows = self.env["credit.policy.temporary.limit"].sudo()._read_group(
            [("partner_id", "in", self._origin.ids), ("state", "=", "approved")], ["partner_id"]
        )
        granted = {partner for (partner,) in rows}
        for partner in self:
            partner.credit_temporary_limit_granted = partner._origin in granted

    @api.depends("credit_group_member_ids")
    def _compute_credit_group_is_head(self):
        # archived members count: archiving one does not settle what it owes the group
        heads = self.sudo().with_context(active_test=False).search(
            [("credit_group_head_id", "in", self._origin.ids)]
        ).credit_group_head_id
        for partner in self:
            partner.credit_group_is_head = partner._origin in heads

    @api.constrains("credit_group_head_id")
    def _check_credit_group_head(self):
        for partner in self.filtered("credit_group_head_id"):
            head = partner.credit_group_head_id
            if head == partner or head.credit_group_head_id:
                raise ValidationError(
                    self.env._(
                        "%(head)s cannot head the credit group of %(partner)s: a group "
                        "head holds the limit itself and belongs to no other group.",
                        head=head.display_name,
                        partner=partner.display_name,
                    )
                )
            if partner.credit_group_member_ids:
                raise ValidationError(
                    self.env._(
                        "%(partner)s heads a credit group and cannot join another one.",
                        partner=partner.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Smart buttons: the documents behind each figure
    # ------------------------------------------------------------------

    def _credit_group_partners(self):
        self.ensure_one()
        account = self.env["credit.policy.check"]._get_credit_account(self)
        return account | account.credit_group_member_ids

    @api.depends_context("company")
    def _compute_credit_area_company_id(self):
        area = self.env["credit.policy.check"]._credit_area(self.env.company)
        self.credit_area_company_id = area if area != self.env.company else False

    @api.depends_context("uid")
    def _compute_credit_can_view_documents(self):
        receivables = self._credit_documents_readable("receivable")
        orders = self._credit_documents_readable("open_order")
        for partner in self:
            partner.credit_can_view_receivables = receivables
            partner.credit_can_view_orders = orders

    def _credit_component_documents(self, component_code, partners):
        """``(model, domain)`` of the documents behind exposure component
        ``component_code`` for ``partners``, in the current company."""
        check = self.env["credit.policy.check"]
        component = next(c for c in check._get_exposure_components() if c.code == component_code)
        return component.domain(partners, self.env.company)

    def _credit_documents_readable(self, component_code):
        """Whether the current user may read the documents behind exposure
        component ``component_code`` (its button opens them)."""
        model, _domain = self._credit_component_documents(component_code, self.browse())
        return self.env[model].has_access("read")

    def _action_credit_documents(self, component_code, name):
        self.ensure_one()
        model, domain = self._credit_component_documents(component_code, self._credit_group_partners())
        if not self.env[model].has_access("read"):
            # The figure is the credit policy's; the documents behind it are
            # the accounting's, sales' or warehouse's to show.
            raise UserError(
                self.env._(
                    "The documents behind %(figure)s are %(documents)s, which your role does not show. "
                    "Ask the credit department or accounting for them.",
                    figure=name,
                    documents=self.env[model]._description,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
            "context": {"create": False},
        }

    def action_view_credit_component(self):
        """The documents behind one exposure component of the Credit tab; the
        button names the component in the context (``credit_component``)."""
        self.ensure_one()
        code = self.env.context.get("credit_component")
        components = {c.code: c for c in self.env["credit.policy.check"]._get_exposure_components()}
        if code not in components or code not in EXPOSURE_COMPONENT_CODES:
            raise UserError(self.env._("Unknown part of the exposure."))
        return self._action_credit_documents(code, components[code].name)

    def action_view_credit_receivables(self):
        return self._action_credit_documents("receivable", self.env._("Open Receivables"))

    def action_view_credit_overdue(self):
        action = self._action_credit_documents("receivable", self.env._("Overdue Items"))
        action["domain"] += [
            ("date_maturity", "<", fields.Date.context_today(self)),
            ("amount_residual", ">", 0),
        ]
        return action

    def action_view_credit_orders(self):
        return self._action_credit_documents("open_order", self.env._("Open Orders"))

    def action_view_credit_temporary_limits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_policy.credit_policy_temporary_limit_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.depends_context("company")
    def _compute_credit_history_count(self):
        counts = dict(
            self.env["credit.policy.limit.history"]._read_group(
                [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.credit_history_count = counts.get(partner, 0)

    @api.depends_context("company")
    def _compute_credit_evaluation_count(self):
        counts = dict(
            self.env["credit.policy.evaluation"]._read_group(
                [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.credit_evaluation_count = counts.get(partner, 0)

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        # A customer is created with the company's credit defaults. Credit data
        # given at creation goes through the same gate as a change, unless it
        # is the company's default or, for a contact, the value it inherits
        # from its commercial entity. ``default_*`` context keys are the
        # caller's: a value given that way is treated as given in vals. A
        # personal ``ir.default`` is the caller's too: the explicit company
        # default below leaves it no room, and the record the ORM produced is
        # checked.
        context = self.env.context
        from_context = {
            name: context[f"default_{name}"]
            for name in CREDIT_MASTER_FIELDS + CREDIT_WATCH_FIELDS
            if f"default_{name}" in context
        }
        gated = self.with_context(
            {key: value for key, value in context.items() if key not in {f"default_{name}" for name in from_context}}
        )
        company_defaults = self._credit_policy_company_defaults()
        structure = self.default_get(["parent_id", "is_company"])
        postponed = []
        parents = []
        gated_vals_list = []
        for vals in vals_list:
            vals = {**from_context, **vals}
            parent_id = vals["parent_id"] if "parent_id" in vals else structure.get("parent_id")
            is_company = vals["is_company"] if "is_company" in vals else structure.get("is_company")
            # Only a contact (not its own commercial entity) inherits values.
            parent = self.browse(parent_id).commercial_partner_id if parent_id and not is_company else self.browse()
            master = {}
            for name in CREDIT_MASTER_FIELDS:
                if name not in vals:
                    vals[name] = company_defaults[name]
                    continue
                value = self._credit_policy_normalize(name, vals[name])
                inherited = parent and self._credit_policy_normalize(name, parent.sudo()[name]) == value
                if value != company_defaults[name] and not inherited:
                    master[name] = vals.pop(name)
            self._credit_policy_raise_if_watch_given(vals, company_defaults)
            postponed.append(master)
            parents.append(parent)
            gated_vals_list.append(vals)
        partners = super(ResPartner, gated).create(gated_vals_list).with_env(self.env)
        for partner, master, parent in zip(partners, postponed, parents):
            partner._credit_policy_raise_if_not_default(set(CREDIT_MASTER_FIELDS) - master.keys(), parent)
            # A contact does not inherit the watch: it is the credit account's.
            partner._credit_policy_raise_if_not_default(CREDIT_WATCH_FIELDS, self.browse())
            if master:
                partner._credit_policy_set_master_data(master, reason=self.env.context.get("credit_policy_reason"))
        return partners

    @api.model
    def _credit_policy_company_defaults(self):
        """The current company's defaults of the credit master data, as
        ``_credit_policy_normalize`` returns them: the company-wide
        ``ir.default`` (never a user's own) or nothing."""
        defaults = (
            self.env["ir.default"]
            .with_user(SUPERUSER_ID)
            .with_company(self.env.company)
            ._get_model_defaults(self._name)
        )
        return {
            name: self._credit_policy_normalize(name, defaults.get(name))
            for name in CREDIT_MASTER_FIELDS + CREDIT_WATCH_FIELDS
        }

    def _credit_policy_raise_if_not_default(self, names, parent):
        """Refuse a new customer whose credit data ``names`` are neither the
        company's defaults nor inherited from its commercial entity ``parent``."""
        self.ensure_one()
        company_defaults = self._credit_policy_company_defaults()
        partner = self.sudo()
        for name in names:
            value = self._credit_policy_normalize(name, partner[name])
            if value == company_defaults[name]:
                continue
            if parent and value == self._credit_policy_normalize(name, parent.sudo()[name]):
                continue
            raise AccessError(
                self.env._(
                    "%(field)s of a new customer starts from the company's default; "
                    "a Credit Manager changes it afterwards with Change Credit.",
                    field=self._fields[name]._description_string(self.env),
                )
            )

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        self._credit_policy_raise_if_watch_written(vals)
        # A contact carries its company's credit values (Odoo syncs the limit to
        # contacts). Detaching it, or making it a company, turns it into its own
        # credit account with those values: unless a Credit Manager does it,
        # such a new account starts from the default credit master data.
        if "user_id" in vals:
            self._credit_policy_check_salesperson_change(vals["user_id"])
        becoming_accounts = accounts = self.browse()
        if ("parent_id" in vals or "is_company" in vals) and not self.env.user.has_group(CREDIT_MANAGER):
            becoming_accounts = self.filtered(lambda partner: partner.commercial_partner_id != partner)
            accounts = self - becoming_accounts
        self._credit_policy_guarded_write(vals)
        becoming_accounts.filtered(
            lambda partner: partner.commercial_partner_id == partner
        )._credit_policy_reset_master_data()
        # The other way round, a customer's credit account made a contact of
        # another customer would be checked against that customer's credit
        # (its limit, its hold), as a credit group member is: a Credit
        # Manager's decision.
        absorbed = accounts.filtered(lambda partner: partner.commercial_partner_id != partner)
        if absorbed.sudo().filtered(lambda partner: partner.customer_rank or partner._credit_policy_has_credit_data()):
            raise AccessError(
                self.env._(
                    "%(customers)s has its own credit account: only a Credit Manager makes it a contact of "
                    "another company (its orders and deliveries would be checked against that company's credit).",
                    customers=", ".join(absorbed.mapped("display_name")),
                )
            )
        return True

    @api.model
    def _credit_policy_raise_if_watch_given(self, vals, company_defaults):
        """A new customer starts off watch (the company's default): only the
        credit department puts a customer on watch, afterwards. Sets the
        default in ``vals``, leaving no room to a personal ``ir.default``."""
        for name in CREDIT_WATCH_FIELDS:
            if name in vals and self._credit_policy_normalize(name, vals[name]) != company_defaults[name]:
                raise AccessError(
                    self.env._(
                        "A new customer starts off watch: the credit department puts it on watch "
                        "afterwards (Put on Watch on its Credit tab)."
                    )
                )
            vals[name] = company_defaults[name]

    def _credit_policy_raise_if_watch_written(self, vals):
        """The watch status changes through Put on Watch and Lift Watch only
        (``_credit_policy_set_watch``), which check who acts and keep who,
        when and why: never written directly, by anyone but the server."""
        names = [name for name in CREDIT_WATCH_FIELDS if name in vals]
        if not names:
            return
        for partner in self.sudo():
            if any(
                self._credit_policy_normalize(name, vals[name]) != self._credit_policy_normalize(name, partner[name])
                for name in names
            ):
                raise AccessError(
                    self.env._(
                        "The watch status of %(customer)s is put and lifted by the credit department only, "
                        "with Put on Watch and Lift Watch on the customer's Credit tab.",
                        customer=partner.display_name,
                    )
                )

    def _credit_policy_set_watch(self, on_watch, reason):
        """Put these customers' credit accounts on watch, or lift it, in the
        credit area of the current company (POLICY.md §2, seed 004), keeping
        who, when and why; posted in the customer's chatter.

        :param on_watch: True puts on watch, False lifts the watch
        :param reason: why; mandatory
        """
        if not self.env.su and not self.env.user.has_group(CREDIT_CONTROLLER):
            raise AccessError(
                self.env._("Only the credit department (Credit Controller) puts a customer on watch or lifts it.")
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for putting the customer on watch or lifting it."))
        check = self.env["credit.policy.check"]
        company = check._credit_area(self.env.company)
        # sudo: the right was checked above; the fields are never user-written.
        for partner in self.commercial_partner_id.with_company(company).sudo():
            if partner.credit_watch == bool(on_watch):
                raise UserError(
                    self.env._("%(customer)s is already on watch.", customer=partner.display_name)
                    if on_watch
                    else self.env._("%(customer)s is not on watch.", customer=partner.display_name)
                )
            if on_watch:
                partner.write(
                    {
                        "credit_watch": True,
                        "credit_watch_reason": reason,
                        "credit_watch_user_id": self.env.user.id,
                        "credit_watch_date": company_date(self, company),
                    }
                )
                body = self.env._(
                    "Put on watch by %(user)s: %(percent)s%% of each order (at least) is due before delivery. "
                    "Reason: %(reason)s",
                    user=self.env.user.name,
                    percent=company.credit_watch_prepayment_percent,
                    reason=reason,
                )
            else:
                partner.write({name: False for name in CREDIT_WATCH_FIELDS})
                body = self.env._("Watch lifted by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason)
            partner.message_post(body=body, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id)
        return True

    def _credit_policy_check_salesperson_change(self, user_id):
        """Refuse to hand a customer another salesperson already looks after
        to ``user_id``, unless a manager does it (POLICY.md: a regional manager
        assigns customers): the salesperson reads his customers' credit case
        (evaluations, scoring sheets, red flags), so taking another's customer
        would open its case to him."""
        if any(self.env.user.has_group(group) for group in SALESPERSON_ASSIGNERS):
            return
        taken = self.filtered(
            lambda partner: partner.commercial_partner_id == partner
            and partner.user_id and partner.user_id.id != user_id
        )
        if taken:
            raise AccessError(
                self.env._(
                    "%(customers)s is looked after by %(salesperson)s: a sales manager, regional manager or Credit "
                    "Manager assigns it to someone else.",
                    customers=", ".join(taken.mapped("display_name")),
                    salesperson=", ".join(taken.user_id.mapped("name")),
                )
            )

    def _credit_policy_has_credit_data(self):
        """Whether this partner holds credit master data in any company: a
        limit, a hold, a grade or a credit history."""
        self.ensure_one()
        companies = self.env["res.company"].sudo().search([])
        return bool(self.credit_history_ids) or any(
            partner.credit_limit or partner.credit_on_hold or partner.credit_grade_id or partner.credit_watch
            for partner in (self.with_company(company) for company in companies)
        )

    def _credit_policy_guarded_write(self, vals):
        if not any(name in vals for name in CREDIT_MASTER_FIELDS):
            return super().write(vals)
        master = {name: vals[name] for name in CREDIT_MASTER_FIELDS if name in vals}
        changing = self._credit_policy_changing(master)
        if not changing:
            return super().write(vals)
        # The reason its author typed (Change Credit passes it in the context).
        changing._credit_policy_set_master_data(master, reason=self.env.context.get("credit_policy_reason"))
        if self - changing:
            # Their values do not change (e.g. Odoo syncing a contact).
            super(ResPartner, self - changing).write(vals)
        others = {name: value for name, value in vals.items() if name not in master}
        if others:
            super(ResPartner, changing).write(others)
        return True

    def _credit_policy_reset_master_data(self):
        """Put back the default credit master data, in every company."""
        for company in self.env["res.company"].sudo().search([]):
            partners = self.with_company(company).sudo()
            defaults = partners._credit_policy_company_defaults()
            for partner in partners:
                reset = {
                    name: defaults[name]
                    for name in CREDIT_MASTER_FIELDS
                    if self._credit_policy_normalize(name, partner[name]) != defaults[name]
                }
                if reset:
                    partner.write(reset)

    @api.model
    def _credit_policy_normalize(self, name, value):
        """Comparable form of a master data value given in vals or read on a record."""
        field_type = self._fields[name].type
        if field_type == "many2one":
            return value.id if isinstance(value, models.BaseModel) else (value or False)
        if field_type in ("float", "monetary"):
            return float(value or 0.0)
        if field_type == "integer":
            return int(value or 0)
        if field_type == "date":
            return fields.Date.to_date(value) or False
        if field_type == "boolean":
            return bool(value)
        return value or False

    def _credit_policy_changing(self, master):
        """Partners whose master data the values would really change.

        A contact receiving its commercial entity's values is being synchronised
        by Odoo, not changed.
        """
        changing = self.browse()
        for partner in self:
            commercial = partner.commercial_partner_id
            for name, value in master.items():
                value = self._credit_policy_normalize(name, value)
                if value == self._credit_policy_normalize(name, partner[name]):
                    continue
                if commercial != partner and value == self._credit_policy_normalize(name, commercial[name]):
                    continue
                changing |= partner
                break
        return changing

    def _credit_policy_raise_if_beyond_manager_authority(self, new_limit, company):
        """Refuse to raise these customers' limits to ``new_limit`` without an
        evaluation where the evaluation would need the General Manager (POLICY.md
        §3: large amounts need higher authority, a limit rises by a capped step):
        above the company's General Manager threshold, or above the step cap of
        the current limit. Lowering a limit is always within authority."""
        currency = company.currency_id
        for partner in self:
            if currency.compare_amounts(new_limit, partner.credit_limit) <= 0:
                continue
            step_cap = policy.limit_step_cap(partner.credit_limit, company.credit_max_limit_increase_percent)
            if policy.above_general_manager_limit(new_limit, company.credit_general_manager_limit, currency.rounding):
                why = self.env._(
                    "above %(threshold)s, which the General Manager approves",
                    threshold=currency.format(company.credit_general_manager_limit),
                )
            elif policy.above_step_cap(new_limit, step_cap, currency.rounding):
                why = self.env._(
                    "more than %(percent)s%% above the current limit (at most %(cap)s in one step)",
                    percent=company.credit_max_limit_increase_percent,
                    cap=currency.format(step_cap),
                )
            else:
                continue
            raise UserError(
                self.env._(
                    "Raising the credit limit of %(customer)s from %(old)s to %(new)s is %(why)s: submit a "
                    "credit evaluation, which takes it to the General Manager.",
                    customer=partner.display_name,
                    old=currency.format(partner.credit_limit),
                    new=currency.format(new_limit),
                    why=why,
                )
            )

    def _credit_policy_set_master_data(self, values, reason, evaluation=None):
        """Single home for changing customers' credit master data: checks the
        right to do so and the grade's bounds, writes the values in the current
        company's credit area (a branch's root) and records the change in the
        credit history.

        :param values: vals for any of ``CREDIT_MASTER_FIELDS`` (grade, limit,
            term, credit hold, group head, collateral, review dates)
        :param reason: why; mandatory
        :param evaluation: the approved evaluation being applied, if any;
            without one, only a Credit Manager may change the data
        """
        if evaluation:
            # sudo: the last reviewer applies it, and the history is the
            # credit department's to read (need-to-know).
            if evaluation.state != "approved" or evaluation.partner_id != self or evaluation.sudo().history_ids:
                raise AccessError(self.env._("Only an approved evaluation can be applied, and only once."))
            company = evaluation.company_id
        else:
            if not self.env.su and not self.env.user.has_group(CREDIT_MANAGER):
                raise AccessError(
                    self.env._(
                        "Only a Credit Manager may change a customer's credit grade, limit, term, "
                        "credit hold, credit group or collateral."
                    )
                )
            company = self.env.company
        # A branch has no credit of its own: its customers' credit is the root's.
        company = self.env["credit.policy.check"]._credit_area(company)
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Credit data of %(customers)s changes only with the reason for the change: "
                    "use Change Credit on the customer's Credit tab.",
                    customers=", ".join(self.mapped("display_name")),
                )
            )
        self._credit_policy_raise_if_negative(values)
        # sudo: the right was checked above; history is never user-written.
        partners = self.with_company(company).sudo()
        # Outside an evaluation, a new limit is held to the Credit Manager's
        # authority; a group member's limit is a sub-limit within its head's:
        # it grants nothing more.
        granting = partners.browse()
        if not evaluation and "credit_limit" in values:
            granting = partners.filtered(lambda p: p.commercial_partner_id == p and not p.credit_group_head_id)
            # The company's cap on the total granted (seed 002): beyond it,
            # the General Manager decides (an evaluation asks him as a tier).
            company._credit_raise_if_total_cap_exceeded(
                [(partner.credit_limit, values["credit_limit"] or 0.0) for partner in granting]
            )
        status = self.env["credit.policy.status"]
        history_vals = []
        for partner in partners:
            old = {name: partner[name] for name in CREDIT_MASTER_FIELDS}
            # Only a change of the grant is held to the grade's bounds: a legacy
            # customer whose term exceeds a since-tightened grade can still be
            # put on hold or moved to a credit group.
            if any(
                self._credit_policy_normalize(name, values[name]) != self._credit_policy_normalize(name, old[name])
                for name in CREDIT_GRANT_FIELDS
                if name in values
            ):
                partner._credit_policy_check_grant(values, company, evaluation=evaluation)
                if partner in granting and not self.env.su and not self.env.user.has_group(GENERAL_MANAGER):
                    partner._credit_policy_raise_if_beyond_manager_authority(values["credit_limit"] or 0.0, company)
            partner.write(values)
            if "credit_term_days" in values:
                partner._credit_policy_apply_payment_term(company)
            if any(
                self._credit_policy_normalize(name, partner[name]) != self._credit_policy_normalize(name, old[name])
                for name in CREDIT_STATUS_FIELDS
            ):
                # The account's band and usage follow the limit, the hold and
                # the group it belongs to: the old and the new group too.
                status._mark_dirty(partner | old["credit_group_head_id"] | partner.credit_group_head_id, company)
            if old["credit_group_head_id"] and not partner.credit_group_head_id:
                # Out of the group, its own crossings escalate again: its row
                # mirrored the group's band, which the head escalated.
                rows = status.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", company.root_id.id)])
                rows.write({"escalated_band": "ok"})
            partner._credit_policy_post_change(old, reason, company, evaluation)
            history_vals.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": self.env.user.id,
                    "old_grade_id": old["credit_grade_id"].id,
                    "new_grade_id": partner.credit_grade_id.id,
                    "old_limit": old["credit_limit"],
                    "new_limit": partner.credit_limit,
                    "old_term_days": old["credit_term_days"],
                    "new_term_days": partner.credit_term_days,
                    "old_on_hold": old["credit_on_hold"],
                    "new_on_hold": partner.credit_on_hold,
                    "old_group_head_id": old["credit_group_head_id"].id,
                    "new_group_head_id": partner.credit_group_head_id.id,
                    "old_collateral_value": old["credit_collateral_value"],
                    "new_collateral_value": partner.credit_collateral_value,
                    "reason": reason,
                    "evaluation_id": evaluation.id if evaluation else False,
                }
            )
        return self.env["credit.policy.limit.history"].sudo().create(history_vals)

    def _credit_policy_post_change(self, old, reason, company, evaluation=None):
        """Post the credit change in the customer's chatter: each value that
        changed, old → new, and the reason its author gave."""
        self.ensure_one()
        changes = []
        for name in CREDIT_MASTER_FIELDS:
            before, after = old[name], self[name]
            if self._credit_policy_normalize(name, before) == self._credit_policy_normalize(name, after):
                continue
            changes.append(
                Markup("<li>%s: %s → %s</li>")
                % (
                    self._fields[name]._description_string(self.env),
                    self._credit_policy_display_value(name, before, company),
                    self._credit_policy_display_value(name, after, company),
                )
            )
        if not changes:
            return
        if evaluation:
            intro = self.env._("Credit changed by the approved evaluation %(name)s:", name=evaluation.name)
        else:
            intro = self.env._("Credit changed by %(user)s:", user=self.env.user.name)
        body = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
            intro,
            Markup("").join(changes),
            self.env._("Reason: %(reason)s", reason=reason),
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id)

    def _credit_policy_display_value(self, name, value, company):
        field = self._fields[name]
        if field.type == "many2one":
            return value.display_name or "—"
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if name in ("credit_limit", "credit_collateral_value"):
            return company.currency_id.format(value or 0.0)
        if field.type == "date":
            return value and fields.Date.to_string(value) or "—"
        return str(value if value not in (False, None) else "—")

    @api.model
    def _credit_policy_raise_if_negative(self, values):
        """A limit, a term or a collateral is never negative, graded or not."""
        for name in ("credit_limit", "credit_term_days", "credit_collateral_value"):
            if name in values and self._credit_policy_normalize(name, values[name]) < 0:
                raise ValidationError(
                    self.env._(
                        "%(field)s cannot be negative.", field=self._fields[name]._description_string(self.env)
                    )
                )

    def _credit_policy_apply_payment_term(self, company):
        """The granted credit term becomes the customer's payment terms in
        ``company`` (POLICY.md §2: the term is a limit too): payment terms of
        that many days net, found or created, unless the customer already
        has exactly those."""
        PaymentTerm = self.env["account.payment.term"]
        for partner in self.with_company(company).sudo():
            days = partner.credit_term_days
            current = partner.property_payment_term_id
            if current and current._credit_policy_is_net_days(days):
                continue
            partner.property_payment_term_id = PaymentTerm._credit_policy_net_days_term(days, company)

    def _credit_policy_check_grant(self, values, company, evaluation=None):
        """Raise a ValidationError when the grade, limit, term and collateral the
        customer would have after ``values`` break what the grade grants. An
        evaluation being applied was held to one purchase and one purchasing
        cycle on the facts it was approved on; any other change is held to
        them on the customer's orders as they stand."""
        self.ensure_one()
        new = {
            name: self._credit_policy_normalize(name, values[name] if name in values else self[name])
            for name in CREDIT_GRANT_FIELDS
        }
        grade = self.env["credit.policy.grade"].browse(new["credit_grade_id"])
        if grade:
            grade._raise_if_grant_violated(
                new["credit_limit"], new["credit_term_days"], new["credit_collateral_value"], company.currency_id
            )
            if not evaluation and grade != self.credit_grade_id and grade._has_prerequisites():
                self._credit_policy_raise_if_prerequisites_failed(grade, company)
            if not evaluation and (grade.limit_at_most_one_purchase or grade.term_at_most_one_cycle):
                partner = self.commercial_partner_id
                facts = self.env["credit.policy.evaluation"]._credit_purchase_facts(
                    company, partner, fields.Date.context_today(self)
                )[partner.id]
                grade._raise_if_purchase_bounds_violated(
                    partner, new["credit_limit"], new["credit_term_days"], facts, company.currency_id
                )

    def _credit_policy_raise_if_prerequisites_failed(self, grade, company):
        """Refuse to give ``grade`` outside an evaluation to this customer when
        his record (read now, as an evaluation's submission reads it) misses
        the grade's prerequisites (POLICY.md §1, seed 002). The Credit Manager
        giving it stands for the evaluator's confirmation of conduct,
        operation and capital; the facts are the customer's."""
        self.ensure_one()
        partner = self.commercial_partner_id
        today = fields.Date.context_today(self)
        Evaluation = self.env["credit.policy.evaluation"]
        facts = Evaluation._credit_prerequisite_facts(company, partner, today)[partner.id]
        record = Evaluation._credit_record_of(facts, True)
        failures = grade._prerequisite_failures(record, today)
        if failures:
            raise ValidationError(
                self.env._(
                    "Grade %(grade)s cannot be given to %(customer)s: %(reasons)s.",
                    grade=grade.code,
                    customer=partner.display_name,
                    reasons="; ".join(grade._prerequisite_messages(failures, record)),
                )
            )

    def _compute_credit_crisis_level(self):
        Level = self.env["credit.policy.crisis.level"].sudo()
        records = Level.search(Level._credit_level_domain(self.commercial_partner_id, self.env.company))
        by_partner = {record.partner_id.id: record for record in records}
        for partner in self:
            record = by_partner.get(partner.commercial_partner_id.id)
            partner.credit_crisis_level = record.level if record else "0"
            partner.credit_crisis_litigation = bool(record and record.litigation)

    def action_credit_crisis_prepare_litigation(self):
        """A Credit Manager prepares litigation: crisis response level 3."""
        for partner in self:
            self.env["credit.policy.crisis.level"]._credit_set_litigation(partner, self.env.company, True)
        return True

    def action_credit_crisis_drop_litigation(self):
        """A Credit Manager drops the litigation: the level follows the signals again."""
        for partner in self:
            self.env["credit.policy.crisis.level"]._credit_set_litigation(partner, self.env.company, False)
        return True

    def action_open_credit_change_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Credit"),
            "res_model": "credit.policy.limit.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_open_credit_watch_wizard(self):
        """Put on Watch / Lift Watch, with the reason (credit department)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lift Watch") if self.credit_watch else self.env._("Put on Watch"),
            "res_model": "credit.policy.watch.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_view_credit_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_policy.credit_policy_limit_history_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_current_company": 1}
        return action

    def action_view_credit_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_policy.credit_policy_evaluation_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id, "default_kind": "review"}
        return action
