import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from odoo.addons.credit_policy import policy
from odoo.addons.credit_policy.tools import env_in_language, user_date

_logger = logging.getLogger(__name__)

BANDS = [
    (policy.BAND_OK, "OK"),
    (policy.BAND_WARN, "Above Alert Threshold"),
    (policy.BAND_ALERT, "Repayment Plan Needed"),
    (policy.BAND_OVER, "Over Limit"),
]
STATUSES = BANDS + [
    (policy.STATUS_HOLD, "On Credit Hold"),
    (policy.STATUS_NO_LIMIT, "No Credit Limit (Cash)"),
    (policy.STATUS_NO_LIMIT_DEBT, "Owes Money Without a Limit"),
]


class CreditPolicyStatus(models.Model):
    """Snapshot of a customer's credit situation in one company.

    One row per credit account (commercial partner or credit group head) and
    company. Only slow-moving facts are stored (band, usage, overdue facts, the
    last escalated band) so that "customers above 80 %" is an indexed search and
    escalation fires once per crossing. Refreshed by accounting, sale and
    delivery events and nightly; the row is also the lock the credit check takes.
    """

    _name = "credit.policy.status"
    _description = "Customer Credit Status"
    _order = "usage_percent desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    band = fields.Selection(BANDS, required=True, default=policy.BAND_OK, index=True)
    status = fields.Selection(STATUSES, required=True, default=policy.BAND_OK, index=True)
    usage_percent = fields.Float(string="Usage (%)", digits=(16, 1), index=True, aggregator="max")
    exposure = fields.Monetary(currency_field="currency_id")
    effective_limit = fields.Monetary(currency_field="currency_id")
    available = fields.Monetary(string="Available Credit", currency_field="currency_id")
    overdue_amount = fields.Monetary(currency_field="currency_id")
    oldest_overdue_days = fields.Integer(aggregator="max")
    grade_id = fields.Many2one("credit.policy.grade", string="Credit Grade", index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    escalated_band = fields.Selection(
        BANDS,
        default=policy.BAND_OK,
        help="Highest band escalated since the usage last went down: the next "
        "escalation fires only when a higher band is crossed.",
    )
    # The open escalation to-dos of this row (this company's), on the customer:
    # while one is open, crossing its threshold again adds none.
    warning_activity_id = fields.Many2one("mail.activity", string="Credit Warning Activity", ondelete="set null")
    repayment_activity_id = fields.Many2one(
        "mail.activity", string="Repayment Plan Activity", ondelete="set null"
    )
    repayment_escalated = fields.Boolean(
        help="The overdue repayment plan was escalated to the sales manager."
    )
    refreshed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "partner_company_uniq",
            "UNIQUE(partner_id, company_id)",
            "A customer has one credit status per company.",
        )
    ]

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------

    @api.model
    def _mark_dirty(self, partners, company):
        """Refresh the status of ``partners`` in ``company`` before the commit.

        Event hooks call this; all partners touched in one transaction are then
        refreshed together, once, whatever the number of events.
        """
        partners = partners.commercial_partner_id
        if not partners or not company:
            return
        dirty = self.env.cr.precommit.data.setdefault("credit_policy.status.dirty", {})
        if not dirty:
            self.env.cr.precommit.add(self.sudo()._refresh_dirty)
        # A branch's documents count in its root company's credit control area.
        dirty.setdefault(company.root_id.id, set()).update(partners.ids)

    def _refresh_dirty(self):
        dirty = self.env.cr.precommit.data.pop("credit_policy.status.dirty", {})
        for company_id, partner_ids in dirty.items():
            # skip what was deleted since it was marked (the partners, or the company): one query
            rows = self.env.execute_query(
                SQL(
                    "SELECT id FROM res_partner WHERE id IN %s AND EXISTS (SELECT 1 FROM res_company WHERE id = %s)",
                    tuple(partner_ids),
                    company_id,
                )
            )
            if rows:
                partners = self.env["res.partner"].browse(row[0] for row in rows)
                self._refresh(partners, self.env["res.company"].browse(company_id))
        self.env.flush_all()

    @api.model
    def _refresh(self, partners, company):
        """Recompute the snapshot of the credit accounts of ``partners`` and escalate.

        A credit group has one account, its head: the head's row holds the
        group's figures and escalates, each member's row mirrors them (so that
        searching a member by status or usage agrees with its form) and never
        escalates on its own. A failure on one account is logged and skipped:
        the refresh runs inside invoice posting and payment reconciliation,
        which it must never abort; the nightly refresh catches up. Concurrency
        errors (serialization failure, lock not available, deadlock) propagate
        instead: Odoo retries the whole request then, on a fresh snapshot.
        """
        self = self.sudo()
        company = company.root_id
        partners = partners.commercial_partner_id
        heads = partners.credit_group_head_id | partners.filtered(
            lambda p: not p.credit_group_head_id
        )
        check = self.env["credit.policy.check"]
        try:
            # Usually every account in one go, one savepoint.
            with self.env.cr.savepoint():
                figures = check._get_credit_figures(heads, company) if heads else {}
                return self._refresh_accounts(heads, company, figures)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:
            _logger.exception("Credit status refresh failed in company %s, refreshing one by one", company.id)
        rows = self.browse()
        for account in heads:
            try:
                with self.env.cr.savepoint():
                    rows |= self._refresh_accounts(account, company, check._get_credit_figures(account, company))
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception:
                _logger.exception(
                    "Credit status refresh failed for partner %s in company %s",
                    account.id,
                    company.id,
                )
        return rows

    def _refresh_accounts(self, accounts, company, figures):
        """Write the ``figures`` of each credit account of ``accounts``
        (``{account id: figures}``) on its row and its members' rows (the
        partners its figures sum): the rows are read, and the missing ones
        created, in one go for all the accounts."""
        partner_ids = {partner_id for account in accounts for partner_id in figures[account.id]["group_partner_ids"]}
        existing = self.search_fetch(
            [("partner_id", "in", list(partner_ids)), ("company_id", "=", company.id)],
            ["band", "company_id", "escalated_band", "partner_id"],
        )
        by_partner = {row.partner_id.id: row for row in existing}
        missing = sorted(partner_ids - set(by_partner))
        for row in self.create([{"partner_id": partner_id, "company_id": company.id} for partner_id in missing]):
            by_partner[row.partner_id.id] = row
        row_ids = []
        for account in accounts:
            row_ids += self._write_account_figures(account, company, figures[account.id], by_partner)
        return self.browse(row_ids)

    def _write_account_figures(self, account, company, figures, by_partner):
        """Write ``figures`` of credit account ``account`` on its row and its
        members' rows (``by_partner``: the rows by partner id); their ids."""
        group = account.browse(figures["group_partner_ids"])
        vals = {
            "band": figures["band"],
            "status": figures["status"],
            "usage_percent": figures["usage_percent"],
            "exposure": figures["exposure"],
            "effective_limit": figures["effective_limit"],
            "available": figures["available"],
            "overdue_amount": figures["overdue_amount"],
            "oldest_overdue_days": figures["oldest_overdue_days"],
            "grade_id": account.with_company(company).credit_grade_id.id,
            "refreshed_at": fields.Datetime.now(),
        }
        head_row = by_partner[account.id]
        head_row.write(dict(vals, user_id=account.with_company(company).user_id.id))
        head_row._escalate(figures)
        for member in group - account:
            # The head escalates for the whole group.
            by_partner[member.id].write(
                dict(
                    vals,
                    user_id=member.with_company(company).user_id.id,
                    escalated_band=figures["band"],
                )
            )
        return [by_partner[p.id].id for p in group]

    @api.model
    def _cron_refresh(self):
        """Nightly: refresh every customer with a limit, a snapshot or open receivables."""
        self = self.sudo()
        # Credit control areas only: a branch counts in its root company's.
        for company in self.env["res.company"].search([("parent_id", "=", False)]):
            partners = self.search([("company_id", "=", company.id)]).partner_id
            partners |= self.env["res.partner"].with_company(company).search(
                [("credit_limit", ">", 0)]
            )
            rows = self.env["account.move.line"]._read_group(
                [
                    ("company_id", "child_of", company.id),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                ["partner_id"],
            )
            partners |= self.env["res.partner"].union(*(row[0] for row in rows))
            if partners:
                self._refresh(partners, company)

    # ------------------------------------------------------------------
    # Escalation at 80 % and 90 % (POLICY.md §4, seed 000)
    # ------------------------------------------------------------------

    def _escalate(self, figures):
        """Fire the escalations of the bands crossed since the last one, once each.

        Dropping to a lower band re-arms the thresholds above it.
        """
        self.ensure_one()
        crossed = policy.escalation_crossings(self.escalated_band, self.band)
        if policy.BAND_WARN in crossed:
            self._escalate_warn(figures)
        if policy.BAND_ALERT in crossed:
            self._escalate_alert(figures)
        if self.escalated_band != self.band:
            vals = {"escalated_band": self.band}
            if policy.BAND_LEVELS[self.band] < policy.BAND_LEVELS[policy.BAND_ALERT]:
                vals.update(repayment_escalated=False)
            self.write(vals)

    def _credit_department_partners(self):
        group = self.env.ref("credit_policy.group_credit_policy_manager")
        users = group.users.filtered(
            lambda u: self.company_id in u.company_ids and not u.share and u.active
        )
        return users.partner_id

    def _salesperson(self):
        # Without a salesperson the credit department owns the follow-up.
        return (
            self.partner_id.user_id
            or self._credit_department_partners().user_ids[:1]
            or self.env.user
        )

    def _assignee_env(self, user):
        """Environment speaking the language of the user an activity is for."""
        return env_in_language(self, user)

    def _escalate_warn(self, figures):
        partner = self.partner_id
        if self.warning_activity_id:
            return
        check = self.env["credit.policy.check"]
        salesperson = self._salesperson()
        env = self._assignee_env(salesperson)
        summary = env._("Credit usage above %(percent)s%%", percent=self.company_id.credit_warn_percent)
        note = env._(
            "%(partner)s uses %(usage).0f%% of its credit limit (exposure %(exposure)s, "
            "available %(available)s). Alert the regional manager and the credit department.",
            partner=partner.display_name,
            usage=figures["usage_percent"],
            exposure=check._format(self.company_id, figures["exposure"]),
            available=check._format(self.company_id, figures["available"]),
        )
        activity = partner.activity_schedule(
            "credit_policy.mail_activity_type_credit_warning",
            summary=summary,
            note=note,
            user_id=salesperson.id,
        )
        self.write({"warning_activity_id": activity.id})
        partner.message_post(
            body=note,
            partner_ids=self._credit_department_partners().ids,
            subtype_xmlid="mail.mt_note",
        )

    def _escalate_alert(self, figures):
        partner = self.partner_id
        company = self.company_id
        if self.repayment_activity_id:
            return
        deadline = fields.Date.context_today(self) + timedelta(days=company.credit_repayment_plan_days)
        salesperson = self._salesperson()
        note = self._assignee_env(salesperson)._(
            "%(partner)s uses %(usage).0f%% of its credit limit: obtain a repayment plan "
            "and a payment commitment from the customer.",
            partner=partner.display_name,
            usage=figures["usage_percent"],
        )
        activity = partner.activity_schedule(
            "credit_policy.mail_activity_type_repayment_plan",
            date_deadline=deadline,
            note=note,
            user_id=salesperson.id,
        )
        self.write({"repayment_activity_id": activity.id, "repayment_escalated": False})
        partner.message_post(
            body=note,
            partner_ids=self._credit_department_partners().ids,
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _cron_escalate_repayment_plans(self):
        """Escalate repayment-plan activities past their deadline, in the
        salesperson's calendar (as his activities show it), to the sales manager."""
        self = self.sudo()
        # A plan overdue for its salesperson was due by UTC's today at the latest.
        rows = self.search(
            [
                ("band", "in", (policy.BAND_ALERT, policy.BAND_OVER)),
                ("repayment_escalated", "=", False),
                ("repayment_activity_id.date_deadline", "<=", fields.Date.today()),
            ]
        ).filtered(
            lambda row: row.repayment_activity_id.date_deadline
            < user_date(row, row.repayment_activity_id.user_id)
        )
        for row in rows:
            partner = row.partner_id
            salesperson = row.repayment_activity_id.user_id
            manager = salesperson.sale_team_id.user_id
            if not manager:
                manager = row._credit_department_partners().user_ids[:1]
            manager = manager or self.env.user
            env = row._assignee_env(manager)
            partner.activity_schedule(
                "credit_policy.mail_activity_type_repayment_plan",
                summary=env._("Repayment plan overdue: step in"),
                note=env._(
                    "%(salesperson)s has not obtained the repayment plan of %(partner)s "
                    "by %(deadline)s.",
                    salesperson=salesperson.name,
                    partner=partner.display_name,
                    deadline=row.repayment_activity_id.date_deadline,
                ),
                user_id=manager.id,
            )
        rows.write({"repayment_escalated": True})

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
