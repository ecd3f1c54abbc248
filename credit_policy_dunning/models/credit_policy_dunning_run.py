import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.pdf import merge_pdf

from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import credit_trusted, is_credit_trusted
from odoo.addons.credit_policy.tools import company_date
from odoo.addons.credit_policy_dunning import policy

_logger = logging.getLogger(__name__)

CONTROLLER = "credit_policy.group_credit_policy_controller"
DRAFT_INDEX = "credit_policy_dunning_run_one_draft_per_company"


class CreditPolicyDunningRun(models.Model):
    """A dunning run of one company on one date (POLICY.md §5), covering
    the invoices of its branches too: like the credit check, dunning works
    per credit control area, so only a root company has runs and ladders.

    :meth:`_prepare` proposes one action per customer (a draft run a Credit
    Controller reviews, excluding lines if need be); :meth:`action_execute`
    carries them out: phone-call activities for the salespeople, letters
    rendered per customer, emailed and/or merged into one PDF to print, the
    customers moved up the ladder (which the credit check's shipping rules
    read), lawyer's letters triggering an event review, termination a
    credit hold.

    Runs are idempotent: a customer is proposed a stage only if one of its
    overdue invoices has not received it yet, so a second run on the same
    date proposes nothing new, and an interrupted execution resumes with the
    lines still proposed. One run at a time per company: preparing and
    executing lock the company's ladders (``NOWAIT``), a second caller gets a
    clear error; one draft run per company (a unique index). A run prepared
    for review is carried out on the figures of the day it is executed.
    """

    _name = "credit.policy.dunning.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread", "credit.policy.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    #: What the run is about (date, company, ladder, customers) is set when
    #: it is prepared, what it did when it is executed: never by hand.
    _credit_workflow_fields = frozenset(
        {
            "date", "company_id", "ladder_id", "partner_ids",
            "state", "executed_by_id", "executed_date", "print_attachment_id", "summary",
        }
    )

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    ladder_id = fields.Many2one(
        "credit.policy.dunning.ladder",
        readonly=True,
        check_company=True,
        help="Only the customers climbing this ladder; empty: every customer, each on its own ladder.",
    )
    partner_ids = fields.Many2many("res.partner", string="Only These Customers", readonly=True)
    state = fields.Selection(
        [("draft", "To Review"), ("done", "Done")], default="draft", required=True, readonly=True, tracking=True
    )
    line_ids = fields.One2many("credit.policy.dunning.line", "run_id", string="Actions", readonly=True)
    line_count = fields.Integer(compute="_compute_counts")
    proposed_count = fields.Integer(compute="_compute_counts")
    done_count = fields.Integer(compute="_compute_counts")
    letter_count = fields.Integer(compute="_compute_counts")
    mail_count = fields.Integer(compute="_compute_counts")
    activity_count = fields.Integer(compute="_compute_counts")
    executed_by_id = fields.Many2one("res.users", readonly=True)
    executed_date = fields.Datetime(readonly=True)
    print_attachment_id = fields.Many2one("ir.attachment", string="Letters to Print", readonly=True)
    summary = fields.Text(readonly=True)

    @api.depends("date", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Dunning %(date)s", date=run.date) if run.date else False

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for run in self:
            lines = run.line_ids
            done = lines.filtered(lambda line: line.state == "done")
            run.line_count = len(lines)
            run.proposed_count = len(lines.filtered(lambda line: line.state == "proposed"))
            run.done_count = len(done)
            run.letter_count = len(done.letter_attachment_id)
            run.mail_count = len(done.mail_id)
            run.activity_count = len(done.activity_id)

    def init(self):
        # One draft run per company (the one under review), even when two
        # preparations race: the second insert fails instead of a duplicate.
        # A database where runs were created by hand before may hold two
        # drafts of a company: the update goes on, saying which to resolve.
        duplicates = self.env.execute_query(
            SQL(
                "SELECT company_id FROM %s WHERE state = 'draft' GROUP BY company_id HAVING COUNT(*) > 1",
                SQL.identifier(self._table),
            )
        )
        if duplicates:
            _logger.warning(
                "Several dunning runs await review in companies %s: execute or delete all but one, then update "
                "the module to enforce one run under review per company.",
                [company_id for (company_id,) in duplicates],
            )
            return
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (company_id) WHERE state = 'draft'",
                SQL.identifier(DRAFT_INDEX),
                SQL.identifier(self._table),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Runs come only from the preparation: a run dated at will (e.g. in the
        # future) would block every later run, and a second draft run would
        # otherwise end in a bare unique-index error.
        if not is_credit_trusted(self.env):
            raise AccessError(self.env._("Dunning runs are prepared by Run Dunning or the scheduled run, never by hand."))
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(run.state == "done" for run in self):
            raise UserError(self.env._("A done dunning run is part of the customers' history and cannot be deleted."))
        # An open run may hold actions already carried out (the wizard
        # restricted to some customers, the scheduled run between batches):
        # the database would delete them with the run, unasked.
        if any(line.state == "done" for line in self.sudo().line_ids):
            raise UserError(
                self.env._(
                    "Some actions of this dunning run were carried out: they are part of the customers' history "
                    "and the run cannot be deleted. Exclude the actions still proposed and execute the run instead."
                )
            )

    # ------------------------------------------------------------------
    # Rights and locks
    # ------------------------------------------------------------------
    @api.model
    def _check_controller(self):
        if not self.env.su and not self.env.user.has_group(CONTROLLER):
            raise AccessError(self.env._("Only Credit Controllers run dunning."))

    @api.model
    def _lock_company(self, company):
        """One run at a time per company: lock the company's ladders without
        waiting, a second caller gets a clear message.

        The rows are updated, not only locked: a transaction whose snapshot
        predates a run prepared meanwhile (and committed) then fails to lock
        them with a serialization failure, which Odoo retries on a fresh
        snapshot, instead of missing that run and preparing a second one."""
        self.env["credit.policy.dunning.ladder"].flush_model()
        try:
            with self.env.cr.savepoint(flush=False):
                rows = self.env.execute_query(
                    SQL(
                        "SELECT id FROM credit_policy_dunning_ladder WHERE company_id = %s FOR NO KEY UPDATE NOWAIT",
                        company.id,
                    )
                )
                if rows:
                    self.env.cr.execute(
                        SQL(
                            "UPDATE credit_policy_dunning_ladder SET write_date = write_date WHERE id IN %s",
                            tuple(row[0] for row in rows),
                        )
                    )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "A dunning run of %(company)s is in progress; try again when it is finished.",
                    company=company.name,
                )
            ) from None
        if not rows:
            raise UserError(self.env._("%(company)s has no dunning ladder.", company=company.name))

    def _check_run_date(self, company, date):
        # today in the user's calendar or in the company's (the scheduler's is UTC)
        if date > max(fields.Date.context_today(self), company_date(self, company)):
            raise UserError(self.env._("A dunning run cannot be dated in the future."))
        last = self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "done")], order="date desc", limit=1
        )
        if last and date < last.date:
            raise UserError(
                self.env._(
                    "A dunning run cannot be dated before the last one (%(date)s).", date=last.date
                )
            )

    # ------------------------------------------------------------------
    # Preparation: what to do
    # ------------------------------------------------------------------
    @api.model
    def _prepare(self, company, date, ladder=None, partners=None):
        """The draft run of ``company`` on ``date`` with its proposed actions
        (resumed when one exists for that date and ladder); an empty
        recordset when there is nothing new to do.

        :param partners: only these customers (``None``: every customer)
        """
        self._check_controller()
        company._dunning_check_area()
        ladder = ladder or self.env["credit.policy.dunning.ladder"]
        if ladder and ladder.company_id != company:
            raise UserError(self.env._("The ladder belongs to another company."))
        self._lock_company(company)
        self._check_run_date(company, date)
        run = self.sudo().search([("company_id", "=", company.id), ("state", "=", "draft")], limit=1)
        if run and (run.date != date or run.ladder_id != ladder):
            raise UserError(
                self.env._(
                    "%(run)s of %(company)s awaits review: execute or delete it first.",
                    run=run.name,
                    company=company.name,
                )
            )
        new = not run
        if run and run.partner_ids and (not partners or partners.commercial_partner_id - run.partner_ids):
            # The draft run now covers these customers too (every customer: none listed).
            credit_trusted(run).write(
                {"partner_ids": [fields.Command.link(p.id) for p in partners.commercial_partner_id]}
                if partners
                else {"partner_ids": [fields.Command.clear()]}
            )
        if new:
            try:
                with self.env.cr.savepoint():
                    run = credit_trusted(self.sudo()).create(
                        {
                            "date": date,
                            "company_id": company.id,
                            "ladder_id": ladder.id,
                            "partner_ids": [fields.Command.set(partners.ids)] if partners else [],
                        }
                    )
            except psycopg2.errors.UniqueViolation as error:
                if error.diag.constraint_name != DRAFT_INDEX:
                    raise
                raise UserError(
                    self.env._(
                        "A dunning run of %(company)s is in progress; try again when it is finished.",
                        company=company.name,
                    )
                ) from None
        run._propose(partners)
        if new and not run.line_ids:
            run.unlink()
            return self.browse()
        return run.with_env(self.env)

    def _propose(self, partners=None):
        """Propose one action per customer due one (see :mod:`policy`)."""
        self.ensure_one()
        company, date = self.company_id, self.date
        facts = self.env["credit.policy.dunning.engine"]._overdue_facts(company, date, partners)
        self._lift_paid_customers(facts, partners)
        known = set(self.line_ids.partner_id.ids)
        customers = self.env["res.partner"].sudo().with_company(company).browse(
            [pid for pid in facts if pid not in known]
        )
        rules_by_ladder = {}
        vals_list = []
        escalations = None
        for partner in customers:
            decision = self._decide(partner, facts[partner.id], rules_by_ladder)
            if decision is None:
                continue
            if decision["promise"] == "kept" or (decision["promise"] == "broken" and not decision["due"]):
                partner._dunning_close_promise(decision["promise"])
            if not decision["due"]:
                if escalations is None:
                    escalations = self.env["credit.policy.dunning.engine"]._escalations(
                        company, customers.filtered("dunning_stage_id")
                    )
                self._settle_stage(partner, facts[partner.id], decision, escalations.get(partner.id))
                continue
            stage = self.env["credit.policy.dunning.stage"].browse(decision["rule"].key)
            vals_list.append(
                {
                    "run_id": self.id,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "date": self.date,
                    "user_id": partner.user_id.id,
                    "partner_id": partner.id,
                    "stage_id": stage.id,
                    "channel": "none" if stage.action == policy.ACTION_PHONE else stage.channel,
                    **self._line_figures(facts[partner.id], decision),
                }
            )
        # The run is what the controller reviews: no follower, creation message
        # nor subscription check per proposed action (its later changes are tracked).
        Line = self.env["credit.policy.dunning.line"].sudo().with_context(tracking_disable=True)
        return credit_trusted(Line).create(vals_list).with_env(self.env)

    def _decide(self, partner, fact, rules_by_ladder):
        """What the ladder says of ``partner`` (of this run's company, with the
        overdue ``fact`` of :meth:`_overdue_facts`) on the run's date: the
        stage ``rule`` chosen, whether it is ``due`` and the ``promise``
        state, with the ``rules`` of its ladder and its ``current`` stage on
        it (a StageRule, ``None`` when it has none); ``None`` when the customer
        is not on this run's ladder. The one home of the choice, at
        preparation and again at execution (``rules_by_ladder``: a cache)."""
        company = self.company_id
        if "default" not in rules_by_ladder:
            rules_by_ladder["default"] = self.env["credit.policy.dunning.ladder"].sudo()._default_for(company)
        ladder = partner._dunning_ladder(company, rules_by_ladder["default"])
        if not ladder or (self.ladder_id and ladder != self.ladder_id):
            return None
        if ladder not in rules_by_ladder:
            rules_by_ladder[ladder] = ladder._stage_rules()
        rules = rules_by_ladder[ladder]
        partner = partner.sudo().with_company(company)
        current = partner.dunning_stage_id
        current_rule = current._rule() if current and current.ladder_id == ladder else None
        promise = policy.promise_state(
            partner.dunning_promise_date,
            self.date,
            fact["promised_open"],
            partner.dunning_promise_base_amount,
            partner.dunning_promise_amount,
            company.credit_overdue_tolerance_amount or 0.0,
            company.currency_id.rounding,
        )
        rule = policy.stage_for_customer(rules, fact["days"], current_rule, promise)
        return {
            "rule": rule,
            "rules": rules,
            "current": current_rule,
            "promise": promise,
            "due": policy.stage_is_due(rule, fact["lowest_reached"]),
        }

    def _settle_stage(self, partner, fact, decision, escalation_oldest_due=None):
        """Put ``partner``, for whom no action is due, on the stage of its
        oldest dunnable item's days without an action (see
        :func:`policy.stage_without_action`): down once the items that took
        it up are paid or disputed, up as what is left grows older. A broken
        promise's escalation holds while its items are still overdue
        (``escalation_oldest_due``: the oldest due date of those items when
        the customer's stage came from one)."""
        partner = partner.sudo().with_company(self.company_id)
        previous = partner.dunning_stage_id
        if previous and decision["current"] is None:
            return False  # a stage of another ladder: its next action moves the customer
        holds = policy.escalation_holds(bool(escalation_oldest_due), escalation_oldest_due, fact["oldest_due"])
        moves, rule = policy.stage_without_action(
            decision["rules"], fact["days"], decision["current"], decision["promise"], holds
        )
        if not moves:
            return False
        stage = self.env["credit.policy.dunning.stage"].browse(rule.key if rule else [])
        following = policy.next_action_days(decision["rules"], rule) if rule else None
        credit_trusted(partner).write(
            {
                "dunning_stage_id": stage.id,
                "dunning_stage_date": self.date if stage else False,
                "dunning_next_action_date": fields.Date.add(fact["oldest_due"], days=following) if following else False,
            }
        )
        if stage:
            body = self.env._(
                "Oldest overdue invoice %(days)s days past due: dunning stage %(stage)s instead of %(previous)s, "
                "without a new action (its invoices already received this stage or a later one).",
                days=fact["days"],
                stage=stage.name,
                previous=previous.name or self.env._("none"),
            )
        else:
            body = self.env._(
                "Oldest overdue invoice %(days)s days past due, below the first dunning stage: the customer "
                "leaves the dunning ladder.",
                days=fact["days"],
            )
        partner.message_post(body=body)
        self.env["credit.policy.status"]._mark_dirty(partner, self.company_id)
        return True

    @api.model
    def _line_figures(self, fact, decision):
        """The figures of a line from the customer's overdue ``fact`` and the
        ladder's ``decision`` (see :meth:`_decide`)."""
        following = policy.next_action_days(decision["rules"], decision["rule"])
        return {
            "move_line_ids": [fields.Command.set(fact["line_ids"])],
            "residuals": {str(key): value for key, value in fact["residuals"].items()},
            "amount_total": fact["amount"],
            "oldest_due_date": fact["oldest_due"],
            "max_days_overdue": fact["days"],
            "promise_state": decision["promise"] if decision["promise"] == "broken" else False,
            "next_action_date": fields.Date.add(fact["oldest_due"], days=following) if following else False,
        }

    def _refresh_lines(self, lines):
        """Bring proposed ``lines`` of this run up to date before they are
        carried out: a run prepared for review may wait for days. The
        customers' overdue items are read again (the same selection as at
        preparation, one query for all of them); a customer who paid since,
        recorded a promise to pay, or is no longer due this stage is left out
        with the reason on its line, the others' items and amounts are
        today's.

        :return: the lines still to carry out
        """
        self.ensure_one()
        lines = lines.sudo().filtered(lambda line: line.state == "proposed")
        if not lines:
            return lines
        facts = self.env["credit.policy.dunning.engine"]._overdue_facts(
            self.company_id, self.date, lines.partner_id
        )
        rules_by_ladder = {}
        left_out = {}
        for line in lines:
            fact = facts.get(line.partner_id.id)
            decision = fact and self._decide(line.partner_id, fact, rules_by_ladder)
            if not fact:
                reason = self.env._("Left out: the overdue invoices were paid since the run was prepared.")
            elif decision is None:
                reason = self.env._("Left out: the customer is no longer on the run's dunning ladder.")
            elif decision["promise"] == "pending":
                reason = self.env._("Left out: a promise to pay was recorded since the run was prepared.")
            elif not decision["due"]:
                reason = self.env._("Left out: no dunning stage is due any more (invoices paid since the run was prepared).")
            elif decision["rule"].key != line.stage_id.id:
                reason = self.env._(
                    "Left out: stage %(stage)s is due now instead of %(proposed)s; prepare a new run.",
                    stage=self.env["credit.policy.dunning.stage"].browse(decision["rule"].key).name,
                    proposed=line.stage_id.name,
                )
            else:
                credit_trusted(line).write(self._line_figures(fact, decision))
                continue
            left_out[line] = reason
        for line, reason in left_out.items():
            credit_trusted(line).write({"state": "excluded", "excluded_by_id": False, "result": reason})
        return lines.filtered(lambda line: line.state == "proposed")

    def _lift_paid_customers(self, facts, partners=None):
        """Customers on the ladder without dunnable overdue items any more
        (paid in full) leave it: their shipping effect lifts, and a promise
        to pay still open is closed (it is about the items just paid)."""
        company = self.company_id
        domain = [("dunning_stage_id", "!=", False)]
        if partners:
            domain.append(("id", "in", partners.commercial_partner_id.ids))
        paid = self.env["res.partner"].sudo().with_company(company).search(domain)
        paid = paid.filtered(lambda p: p.id not in facts and p.dunning_stage_id.company_id == company)
        if not paid:
            return
        credit_trusted(paid).write(
            {
                "dunning_stage_id": False,
                "dunning_stage_date": False,
                "dunning_next_action_date": False,
                **paid._dunning_promise_cleared(),
            }
        )
        for partner in paid:
            partner.message_post(body=self.env._("Overdue invoices paid: the customer leaves the dunning ladder."))
        self.env["credit.policy.status"]._mark_dirty(paid, company)

    # ------------------------------------------------------------------
    # Execution: do it
    # ------------------------------------------------------------------
    def action_execute(self):
        """Carry out the proposed actions (Credit Controllers only)."""
        self.ensure_one()
        return self._execute_run()

    def _execute_run(self, lines=None):
        """Carry out the proposed actions, only ``lines`` of them if given
        (what the finance wizard previewed); the run is done once nothing is
        proposed any more."""
        self.ensure_one()
        self._check_controller()
        if self.state != "draft":
            raise UserError(self.env._("This dunning run is already done."))
        self._lock_company(self.company_id)
        self._execute_lines(lines=lines)
        self._finish()
        return True

    def _lines_for(self, partners=None):
        """This run's actions, only those about ``partners`` if given."""
        self.ensure_one()
        lines = self.sudo().line_ids
        if partners:
            customers = partners.commercial_partner_id
            lines = lines.filtered(lambda line: line.partner_id in customers)
        return lines.with_env(self.env)

    def _execute_lines(self, limit=None, lines=None):
        """Carry out up to ``limit`` proposed actions (of ``lines`` only, if
        given: actions of this run), on today's figures (see
        :meth:`_refresh_lines`). Actions that could not be done before (their
        result says why) come last and are not counted as work left: the
        scheduler does not call again for them.

        :return: (number handled, number still proposed and not tried yet)
        """
        self.ensure_one()
        lines = self.sudo().line_ids if lines is None else self.sudo().line_ids & lines.sudo()
        lines = lines.filtered(lambda line: line.state == "proposed")
        waiting = lines.filtered("result")
        untried = lines - waiting
        batch = (untried + waiting)[:limit] if limit else untried + waiting
        for line in self._refresh_lines(batch):
            line.with_env(self.env)._execute()
        return len(batch), len(untried - batch)

    def _finish(self):
        """Close the run once nothing is proposed any more: merge the letters
        to print into one PDF and write the summary."""
        self.ensure_one()
        if self.sudo().line_ids.filtered(lambda line: line.state == "proposed"):
            return False
        vals = {
            "state": "done",
            "executed_by_id": self.env.uid,
            "executed_date": fields.Datetime.now(),
            "print_attachment_id": self._merge_print_letters().id,
        }
        credit_trusted(self.sudo()).write(vals)
        credit_trusted(self.sudo()).write({"summary": self._summary_text()})
        self.message_post(body=self.summary)
        return True

    def _merge_print_letters(self, lines=None):
        """The letters to print (of ``lines``, default: the run's) as one
        document. Each letter is rendered on its own and the PDFs merged
        (wkhtmltopdf drops pages of multi-record documents on some platforms)."""
        lines = (self.sudo().line_ids if lines is None else lines.sudo()).filtered(
            lambda line: line.state == "done" and line.channel in ("print", "both") and line.letter_attachment_id
        )
        if not lines:
            return self.env["ir.attachment"]
        contents = [line.letter_attachment_id.raw for line in lines]
        if all(content.startswith(b"%PDF") for content in contents):
            data, name, mimetype = merge_pdf(contents), ".pdf", "application/pdf"
        else:
            # Test mode renders reports as HTML: keep them side by side.
            data, name, mimetype = b"\n".join(contents), ".html", "text/html"
        return self.env["ir.attachment"].sudo().create(
            {
                "name": self.env._("Dunning letters to print %(date)s", date=self.date) + name,
                "raw": data,
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
                # explicit: created as the user, whose personal default could publish it
                "public": False,
            }
        )

    def _summary_text(self, lines=None):
        """What was done, of ``lines`` (default: the run's)."""
        self.ensure_one()
        lines = self.sudo().line_ids if lines is None else lines.sudo()
        done = lines.filtered(lambda line: line.state == "done")
        return self.env._(
            "%(done)s actions done, %(excluded)s excluded: %(calls)s phone calls scheduled, "
            "%(letters)s letters written, %(mails)s emails queued, %(printed)s letters to print.",
            done=len(done),
            excluded=len(lines.filtered(lambda line: line.state == "excluded")),
            calls=len(done.activity_id),
            letters=len(done.letter_attachment_id),
            mails=len(done.mail_id),
            printed=len(done.filtered(lambda line: line.channel in ("print", "both") and line.letter_attachment_id)),
        )

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_policy_dunning.credit_policy_dunning_line_action")
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_download_letters(self):
        self.ensure_one()
        return self._letters_download_action(self.print_attachment_id)

    @api.model
    def _letters_download_action(self, letters):
        """Download the merged PDF ``letters`` (an attachment) of a run or of
        the part of it a wizard carried out."""
        if not letters:
            raise UserError(self.env._("This run has no letters to print."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{letters.id}?download=true",
            "target": "self",
        }

    def action_view_mails(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning Emails"),
            "res_model": "mail.mail",
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.mail_id.ids)],
        }

    # ------------------------------------------------------------------
    # Scheduled run
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_dunning(self):
        """Daily run: prepare every company's run of the day (a branch has no
        ladder: its invoices are in its root company's run), and execute it
        batch by batch where the company says so (each batch committed by the
        scheduler, which calls again while work remains)."""
        done = remaining = 0
        companies = self.env["credit.policy.dunning.ladder"].sudo().search([]).company_id
        for company in companies:
            run = self.with_company(company)
            try:
                # the company's day: a run at 02:00 in Shanghai is not dated UTC's yesterday
                run = run._prepare(company, company_date(self, company))
            except UserError as error:
                # e.g. yesterday's run still awaits its review: dunning of
                # this company is on hold until someone acts
                _logger.warning("Dunning run of %s skipped: %s", company.name, error)
                continue
            if not run or company.credit_dunning_cron_mode != "execute":
                continue
            executed, left = run._execute_lines(limit=company.credit_dunning_batch_size)
            done += executed
            remaining += left
            if not left and not run._finish():
                # actions nobody could carry out (their result says why) keep
                # the run open, and the next days' runs wait for it
                waiting = run.sudo().line_ids.filtered(lambda line: line.state == "proposed")
                run.message_post(
                    body=self.env._(
                        "%(count)s actions could not be carried out (see their result): the run awaits "
                        "review, and no later dunning run of the company starts until it is executed.",
                        count=len(waiting),
                    )
                )
                _logger.warning("Dunning run %s left open: %s actions wait", run.name, len(waiting))
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
