from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import is_credit_trusted
from odoo.addons.credit_policy.tools import (
    audited_values,
    changed_fields,
    company_date,
    company_tz,
    env_in_language,
    user_date,
)

from .. import policy
from .credit_policy_archive_confidential_mixin import SEARCH_FREE_PREFIXES

LEVELS = [
    (policy.LEVEL_COMPANY, "Company Level"),
    (policy.LEVEL_DEPARTMENT, "Department Level"),
    (policy.LEVEL_PERSONAL, "Personal Level"),
]
ENTERPRISE_TYPES = [
    ("state", "State-owned"),
    ("foreign", "Foreign-owned"),
    ("joint", "Joint Venture"),
    ("private", "Private"),
    ("individual", "Individual Business"),
    ("other", "Other"),
]

#: Fields whose filling makes the file complete (with the child records below).
COMPLETENESS_FIELDS = (
    "legal_representative",
    "general_manager",
    "purchasing_head",
    "enterprise_type",
    "registered_capital",
    "founding_date",
    "industry_id",
    "products",
    "bank_accounts",
    "main_shareholders",
    "service_area",
    "staff_count",
    "annual_turnover",
    "business_status",
    "transaction_status",
)
COMPLETENESS_CHILDREN = ("financial_ids", "document_ids", "visit_ids", "source_ids")
#: Fields of the file saying who reads it and whether it is kept, not what it
#: holds: changing them does not complete the file (with the mail bookkeeping).
# Set by the owner's confirmations (Mark Updated, Mark Reviewed) only.
FRESHNESS_DATES = ("last_update_date", "last_review_date")
NOT_CONTENT_FIELDS = frozenset({"owner_id", "team_id", "confidentiality", "active", "content_date"})
COMPLETION_ACTIVITY = "credit_policy_archive.mail_activity_credit_file_completion"
#: The activities the server plans for a file's owner: they follow the file when it changes hands.
OWNER_ACTIVITIES = (
    "credit_policy_archive.mail_activity_credit_file_update",
    "credit_policy_archive.mail_activity_credit_file_review",
    "credit_policy_archive.mail_activity_credit_document_expiry",
    COMPLETION_ACTIVITY,
)


class CreditPolicyArchiveFile(models.Model):
    """A customer's confidential credit file (客户信用档案), one per
    commercial customer and company (POLICY.md §6).

    Its confidentiality level, owner and department decide who reads it (see
    ``_search_can_read``: one global record rule applies the access matrix of
    ``policy``); anyone else reads it through an approved access request, and
    every read is logged.
    """

    _name = "credit.policy.archive.file"
    _description = "Customer Credit File"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.policy.archive.confidential.mixin"]
    _order = "partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who keeps the file up to date. Changed through the Handover wizard only; a file is never ownerless.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Department",
        index=True,
        check_company=True,
        tracking=True,
        default=lambda self: self.env.user.sale_team_id,
        help="The sales team the file belongs to: its members read department-level files, "
        "its leader (the department manager) also personal ones.",
    )
    confidentiality = fields.Selection(
        LEVELS, required=True, default=policy.LEVEL_DEPARTMENT, tracking=True, index=True,
        help="Company: the credit department, the general manager and Credit Managers read it. "
        "Department: the department's members. Personal: the owner and his department manager. "
        "Anyone else needs an approved access request.",
    )
    can_read = fields.Boolean(compute="_compute_can_read", search="_search_can_read")
    can_edit = fields.Boolean(compute="_compute_can_edit", search="_search_can_edit")

    # Basic data
    legal_representative = fields.Char()
    general_manager = fields.Char()
    purchasing_head = fields.Char(string="Purchasing Head")
    enterprise_type = fields.Selection(ENTERPRISE_TYPES)
    registered_capital = fields.Monetary(currency_field="currency_id")
    paid_in_capital = fields.Monetary(string="Paid-in Capital", currency_field="currency_id")
    founding_date = fields.Date()
    industry_id = fields.Many2one("res.partner.industry")
    products = fields.Text(string="Main Products")
    market = fields.Selection([("domestic", "Domestic"), ("export", "Export Only"), ("both", "Domestic and Export")])
    bank_accounts = fields.Text()
    main_shareholders = fields.Text()
    # Characteristics
    service_area = fields.Char()
    sales_capacity = fields.Text()
    potential = fields.Text(string="Development Potential")
    staff_count = fields.Integer(string="Staff")
    annual_turnover = fields.Monetary(currency_field="currency_id")
    management_style = fields.Text()
    # Business and transaction status
    business_status = fields.Text(help="Sales record, staff quality, competitors, attitude towards us.")
    transaction_status = fields.Text(help="Current trading, problems, reputation, credit problems.")
    credit_problems = fields.Text(string="Past Credit Problems")

    financial_ids = fields.One2many("credit.policy.archive.financial", "file_id", string="Financial Statements")
    document_ids = fields.One2many("credit.policy.archive.document", "file_id", string="Documents")
    visit_ids = fields.One2many("credit.policy.archive.visit", "file_id", string="Visits and Contacts")
    source_ids = fields.One2many("credit.policy.archive.source", "file_id", string="Information Sources")
    evaluation_ids = fields.One2many(related="partner_id.credit_evaluation_ids", string="Evaluations")
    cash_flow_warning = fields.Boolean(
        compute="_compute_cash_flow_warning",
        help="Operating cash flow negative in the latest three periods: profits may be on paper only.",
    )

    # Freshness
    last_update_date = fields.Date(string="Last Full Update", tracking=True, copy=False, readonly=True)
    update_due_date = fields.Date(string="Full Update Due", compute="_compute_freshness", store=True)
    last_review_date = fields.Date(string="Last Annual Review", tracking=True, copy=False, readonly=True)
    review_note = fields.Text(string="Annual Transaction Review")
    is_stale = fields.Boolean(string="Stale", compute="_compute_is_stale", search="_search_is_stale")
    completeness = fields.Integer(string="Completeness (%)", compute="_compute_completeness")
    content_date = fields.Datetime(
        string="Last Completed",
        readonly=True,
        copy=False,
        index=True,
        help="When the file's content (its data, documents, financial statements, visits or sources) last "
        "changed. The owner is asked to complete a file unchanged for longer than the company's days.",
    )
    document_warning = fields.Char(compute="_compute_document_warning")

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "A customer has one credit file per company."),
    ]

    # ------------------------------------------------------------------
    # Access matrix
    # ------------------------------------------------------------------
    @api.model
    def _read_domain(self, user=None):
        """The files ``user`` (the current user) reads: the access matrix
        (``policy.levels_read_by_role``/``levels_read_in_department``) plus
        his valid access grants. Evaluated at each query, so that a grant
        lapses the day after its return date without any cache to clear."""
        user = user or self.env.user
        role_levels = policy.levels_read_by_role(
            user.has_group("credit_policy.group_credit_policy_manager"),
            user.has_group("credit_policy.group_credit_policy_officer"),
            user.has_group("credit_policy.group_credit_policy_general_manager"),
        )
        grants = self.env["credit.policy.archive.access.request"].sudo()._valid_grants(user)
        domains = [
            [("owner_id", "=", user.id)],
            [("confidentiality", "in", sorted(policy.levels_read_in_department(False))),
             ("team_id.member_ids", "in", [user.id])],
            [("confidentiality", "in", sorted(policy.levels_read_in_department(True))),
             ("team_id.user_id", "=", user.id)],
            [("id", "in", grants.file_id.ids)],
        ]
        if role_levels:
            domains.append([("confidentiality", "in", sorted(role_levels))])
        return expression.OR(domains)

    @api.model
    def _edit_domain(self, user=None):
        """The files ``user`` changes: his own, those of his department he
        reads as its manager, and all for a Credit Manager. Nobody changes a
        file he may not read."""
        user = user or self.env.user
        if user.has_group("credit_policy.group_credit_policy_manager"):
            return expression.TRUE_DOMAIN
        return expression.AND(
            [self._read_domain(user), ["|", ("owner_id", "=", user.id), ("team_id.user_id", "=", user.id)]]
        )

    def _search_can_read(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on whether a file is readable."))
        domain = self._read_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    def _search_can_edit(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on whether a file is editable."))
        domain = self._edit_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    # Per user: the ORM caches a computed field per record, and one
    # transaction may ask for several users (activities, access checks).
    @api.depends_context("uid")
    def _compute_can_read(self):
        readable = self.sudo().with_context(active_test=False).search(
            [("id", "in", self.ids), ("can_read", "=", True)]
        ) if self.ids else self.browse()
        for file in self:
            file.can_read = file in readable

    @api.depends_context("uid")
    def _compute_can_edit(self):
        editable = self.sudo().with_context(active_test=False).search(
            [("id", "in", self.ids), ("can_edit", "=", True)]
        ) if self.ids else self.browse()
        for file in self:
            file.can_edit = file in editable

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("partner_id", "company_id")
    def _compute_display_name(self):
        for file in self:
            file.display_name = file.partner_id.display_name or self.env._("New Credit File")

    @api.depends("financial_ids.operating_cash_flow", "financial_ids.period_end")
    def _compute_cash_flow_warning(self):
        for file in self:
            flows = file.financial_ids.sorted("period_end").mapped("operating_cash_flow")
            file.cash_flow_warning = policy.negative_cash_flow_streak(flows)

    @api.depends("last_update_date", "create_date")
    def _compute_freshness(self):
        for file in self:
            created = file.create_date.date() if file.create_date else fields.Date.context_today(file)
            file.update_due_date = policy.full_update_due(file.last_update_date, created)

    def _created_on(self):
        """The file's creation date (today for a file being created), the
        start of its first annual review period."""
        self.ensure_one()
        return self.create_date.date() if self.create_date else fields.Date.context_today(self)

    def _annual_review_due(self, today):
        self.ensure_one()
        return policy.annual_review_due(self.last_review_date, today, self._created_on())

    @api.depends("update_due_date", "last_review_date")
    def _compute_is_stale(self):
        today = fields.Date.context_today(self)
        for file in self:
            file.is_stale = bool(file.update_due_date and file.update_due_date < today) or (
                policy.annual_review_overdue(file.last_review_date, today, file._created_on())
            )

    def _search_is_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on stale files."))
        today = fields.Date.context_today(self)
        # policy.annual_review_overdue as a domain: a review missed in an
        # earlier year stays overdue until one is made.
        reviewed_before, created_until = policy.annual_review_overdue_bounds(today)
        created_before = datetime.combine(created_until + timedelta(days=1), time.min)
        domain = expression.OR(
            [
                [("update_due_date", "<", today)],
                [("last_review_date", "!=", False), ("last_review_date", "<", reviewed_before)],
                [("last_review_date", "=", False), ("create_date", "<", created_before)],
            ]
        )
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends(*COMPLETENESS_FIELDS, *COMPLETENESS_CHILDREN)
    def _compute_completeness(self):
        for file in self:
            file.completeness = policy.completeness(
                [bool(file[name]) for name in COMPLETENESS_FIELDS + COMPLETENESS_CHILDREN]
            )

    @api.depends("document_ids.expiry_date", "document_ids.document_type_id")
    def _compute_document_warning(self):
        for file in self:
            expired = file.document_ids.filtered("is_expired")
            file.document_warning = (
                self.env._("Expired documents: %(documents)s", documents=", ".join(expired.mapped("display_name")))
                if expired
                else False
            )

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------
    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for file in self:
            if file.partner_id != file.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A credit file belongs to the company %(company)s, not to its contact %(contact)s.",
                        company=file.partner_id.commercial_partner_id.display_name,
                        contact=file.partner_id.display_name,
                    )
                )

    def _is_credit_manager_or_trusted(self):
        return is_credit_trusted(self.env) or self.env.user.has_group("credit_policy.group_credit_policy_manager")

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if not self.env.su or "content_date" not in vals:
                # opened today: whatever a client sends (vals, default_* keys)
                vals["content_date"] = now
            if not self.env.su:
                # never updated nor reviewed yet, whatever a client sends
                vals.update(dict.fromkeys(FRESHNESS_DATES, False))
        files = super().create(vals_list)
        # The owner as created: given, or from a ``default_owner_id`` context
        # key or a personal ``ir.default``.
        if not self._is_credit_manager_or_trusted() and any(file.owner_id != self.env.user for file in files.sudo()):
            raise AccessError(self.env._("You can only open credit files that you own."))
        return files

    def write(self, vals):
        if not self.env.su:
            # when the file was last completed, updated or reviewed is the
            # server's to say (a date set by hand would fake a fresh file)
            vals = {name: value for name, value in vals.items() if name not in ("content_date", *FRESHNESS_DATES)}
        before = audited_values(self, self._archive_content_fields(vals))
        result = self._write_checked(vals)
        # Only a real change completes the file (saving the same values again does not).
        self.filtered(lambda file: changed_fields(file, before.get(file, {})))._archive_touch_content()
        if "content_date" in vals:
            self._archive_close_completion_activities()
        if "owner_id" in vals:
            self._archive_move_owner_activities()
        return result

    def _archive_move_owner_activities(self):
        """The open activities planned for the owner go to the new owner with
        the file: the one who left does not keep the file's reminders."""
        for file in self.sudo():
            file.activity_search(OWNER_ACTIVITIES).filtered(lambda a: a.user_id != file.owner_id).write(
                {"user_id": file.owner_id.id}
            )

    @api.model
    def _archive_content_fields(self, vals):
        """The fields of ``vals`` that hold what the file says (not who reads
        it, whether it is kept, or its mail bookkeeping)."""
        return [name for name in vals if name not in NOT_CONTENT_FIELDS and not name.startswith(SEARCH_FREE_PREFIXES)]

    def _write_checked(self, vals):
        if "owner_id" in vals and not is_credit_trusted(self.env):
            if not vals["owner_id"]:
                raise ValidationError(self.env._("A credit file always has an owner."))
            raise AccessError(self.env._("A credit file changes hands through the Handover wizard only."))
        if not {"confidentiality", "team_id"} & vals.keys() or self._is_credit_manager_or_trusted():
            return super().write(vals)
        before = {file.id: (file.confidentiality, file.team_id) for file in self.sudo()}
        # The level and the department decide who reads the file: only its
        # owner (or a Credit Manager, or a handover) changes them. Judged on
        # the files as written, whatever the values given; a refused change
        # is undone even if the caller goes on after the error.
        with self.env.cr.savepoint():
            result = super().write(vals)
            self._check_readers_unchanged(before)
        return result

    def _check_readers_unchanged(self, before):
        """Refuse a change of level or department (``before``: the values
        before the write, by file id) to anyone but the file's owner."""
        for file in self.sudo():
            level, team = before[file.id]
            if file.owner_id == self.env.user:
                continue
            if file.confidentiality != level:
                raise AccessError(
                    self.env._(
                        "Only the owner of %(file)s or a Credit Manager changes its confidentiality level.",
                        file=file.display_name,
                    )
                )
            if file.team_id != team:
                raise AccessError(
                    self.env._(
                        "Only the owner of %(file)s or a Credit Manager moves it to another department.",
                        file=file.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------
    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        # EXTENDS 'mail': whoever hears of the file's new notes and messages
        # (inbox, e-mail and the right to read the message) is one who may read
        # the file now: a follower who followed it under a grant since
        # returned, or before losing it otherwise, hears nothing more, and
        # neither does anyone the author addresses himself (the composer's
        # recipients, an invitation to follow) who may not read it. Those left
        # out of a message addressed to them are named on the file, so that
        # the author knows they did not get it.
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        file = self if len(self) == 1 else self.browse(message.sudo().res_id if message.model == self._name else [])
        if len(file) != 1:
            return recipients
        users = self.env["res.users"].sudo().browse({data["uid"] for data in recipients if data.get("uid")})
        readers = users.filtered(lambda user: file._archive_read_by(user)).ids
        kept = [data for data in recipients if data.get("uid") in readers]
        addressed = set(msg_vals.get("partner_ids", []) if msg_vals else message.sudo().partner_ids.ids)
        left_out = addressed & ({data["id"] for data in recipients} - {data["id"] for data in kept})
        if left_out:
            file._archive_log_left_out(self.env["res.partner"].sudo().browse(sorted(left_out)))
        return kept

    def _archive_log_left_out(self, partners):
        """Say on the file that ``partners``, addressed by a message, were not
        sent it (only their names: nothing of the message)."""
        self.sudo()._message_log(
            body=self.env._(
                "Not sent to %(partners)s: only whoever may read this credit file hears of its notes and messages.",
                partners=", ".join(partners.mapped("display_name")),
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mark_updated(self):
        """The owner confirms the quarterly full update of the file."""
        self.check_access("write")
        self.sudo().write({"last_update_date": fields.Date.context_today(self)})
        self.activity_feedback(["credit_policy_archive.mail_activity_credit_file_update"])
        return True

    def action_mark_reviewed(self):
        """The owner records this year's transaction review (年审)."""
        self.check_access("write")
        for file in self:
            if not file.review_note:
                raise UserError(
                    self.env._("Write the annual transaction review of %(file)s first.", file=file.display_name)
                )
        self.sudo().write({"last_review_date": fields.Date.context_today(self)})
        self.activity_feedback(["credit_policy_archive.mail_activity_credit_file_review"])
        return True

    def action_request_access(self):
        """Open a new access request for this file's customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.policy.archive.access.request",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.partner_id.id, "default_company_id": self.company_id.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _archive_files(self):
        return self

    @api.model
    def _get_file_for_partner(self, partner, company=None):
        """The file of ``partner``'s commercial entity in ``company`` (superuser)."""
        company = company or self.env.company
        partner = partner.commercial_partner_id
        files = self.sudo().with_context(active_test=False).search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1
        )
        return files

    def _valid_documents(self, today=None):
        # The current user's own calendar, never the time zone his client sends.
        today = today or user_date(self, self.env.user)
        return self.document_ids.filtered(lambda d: policy.document_is_valid(d.expiry_date, today))

    @api.model
    def _cron_schedule_freshness_activities(self):
        """Plan an activity for the owner of each file whose quarterly update
        or annual review is due within two weeks (or overdue)."""
        today = fields.Date.context_today(self)
        soon = fields.Date.add(today, days=14)
        update_type = self.env.ref("credit_policy_archive.mail_activity_credit_file_update")
        review_type = self.env.ref("credit_policy_archive.mail_activity_credit_file_review")
        files = self.sudo().search([])
        for file in files:
            due = file.update_due_date
            if due and due <= soon and not file.activity_ids.filtered(lambda a: a.activity_type_id == update_type):
                file.activity_schedule(
                    activity_type_id=update_type.id,
                    date_deadline=due,
                    user_id=file.owner_id.id,
                    summary=self.env._("Quarterly full update of the credit file"),
                )
            review_due = file._annual_review_due(today)
            if review_due <= soon and not file.activity_ids.filtered(lambda a: a.activity_type_id == review_type):
                file.activity_schedule(
                    activity_type_id=review_type.id,
                    date_deadline=review_due,
                    user_id=file.owner_id.id,
                    summary=self.env._("Annual transaction review (before 25 December)"),
                )

    # ------------------------------------------------------------------
    # Monthly completion by the salesperson (seed 003)
    # ------------------------------------------------------------------
    def _archive_touch_content(self):
        """Record that these files' content changed now (a record of their
        content was added, changed or removed): it completes them."""
        files = self.sudo().exists()
        if files:
            files.write({"content_date": fields.Datetime.now()})

    def _archive_close_completion_activities(self):
        """The file was completed: its open "Complete the credit file"
        activity is done (by whoever completed it)."""
        # sudo: whoever completes the file closes its owner's activity; the
        # author of the note stays the current user.
        self.sudo().activity_feedback([COMPLETION_ACTIVITY])

    @api.model
    def _files_to_complete_sql(self, company, today):
        """SQL selecting the active files of ``company``'s credit control area
        whose content did not change for more than the area's completion days
        on ``today`` (a change counts on its day in the company's calendar)
        and that have no open completion activity: ``id``, ``owner_id``."""
        check = self.env["credit.policy.check"]
        area = check._credit_area(company)
        cutoff = policy.quiet_cutoff(today, area.credit_archive_completion_days)
        activity_type = self.env.ref(COMPLETION_ACTIVITY)
        self.flush_model(["company_id", "active", "content_date", "owner_id"])
        self.env["mail.activity"].flush_model(["res_model", "res_id", "activity_type_id", "active"])
        return SQL(
            """
            SELECT f.id, f.owner_id
              FROM credit_policy_archive_file f
             WHERE f.company_id IN %(companies)s
               AND f.active
               AND (COALESCE(f.content_date, f.write_date, f.create_date)
                        AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date < %(cutoff)s
               AND NOT EXISTS (
                   SELECT 1 FROM mail_activity a
                    WHERE a.res_model = %(model)s AND a.res_id = f.id
                      AND a.activity_type_id = %(type)s AND a.active
               )
             ORDER BY f.id
            """,
            companies=check._credit_area_company_ids(company),
            tz=company_tz(self, area),
            cutoff=cutoff,
            model=self._name,
            type=activity_type.id,
        )

    @api.model
    def _cron_schedule_completion_activities(self):
        """Monthly completion of the credit files by their salesperson (POLICY.md
        §6, seed 003: "at least monthly completion by the salesperson"): in each
        credit control area, on its day in the company's calendar, one "Complete
        the credit file" activity for the owner of each file whose content did
        not change for more than the company's days, unless one is open.

        Runs as superuser, reads no content (it logs no read): the activity
        names the file (its customer) and the rule, nothing the file holds."""
        for company in self.env["res.company"].sudo().search([("parent_id", "=", False)]):
            self.sudo().with_company(company)._schedule_completion_activities(company, company_date(self, company))

    @api.model
    def _schedule_completion_activities(self, company, today):
        """Schedule the completion activities of ``company``'s credit control
        area due on ``today``; return the activities created. Idempotent."""
        days = self.env["credit.policy.check"]._credit_area(company).credit_archive_completion_days
        if not policy.quiet_cutoff(today, days):
            return self.env["mail.activity"]
        rows = self.env.execute_query(self._files_to_complete_sql(company, today))
        if not rows:
            return self.env["mail.activity"]
        activity_type = self.env.ref(COMPLETION_ACTIVITY)
        model_id = self.env["ir.model"]._get_id(self._name)
        users = self.env["res.users"].sudo().browse({owner_id for _file_id, owner_id in rows})
        vals_list = []
        for file_id, owner_id in rows:
            # written for the owner: in his language, due on his today
            owner = users.browse(owner_id)
            env = env_in_language(self, owner)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": file_id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": owner_id,
                    "date_deadline": user_date(self, owner),
                    "summary": env._("Complete the credit file"),
                    "note": env._(
                        "Nothing in this credit file changed for more than %(days)s days: bring its data, "
                        "documents, financial statements and contacts or visits up to date (at least monthly).",
                        days=days,
                    ),
                }
            )
        return self.env["mail.activity"].sudo().create(vals_list)
