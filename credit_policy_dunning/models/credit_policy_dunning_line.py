from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import credit_trusted, is_credit_trusted
from odoo.addons.credit_policy.tools import env_in_language
from odoo.addons.credit_policy_dunning import policy

CONTROLLER = "credit_policy.group_credit_policy_controller"


class CreditPolicyDunningLine(models.Model):
    """One action of a dunning run for one customer: the stage reached, the
    invoices it is about and their amounts, the channel, and what was done
    (letter, email, phone-call activity, by whom and when). Done lines are
    the customer's dunning history, per customer and per invoice."""

    _name = "credit.policy.dunning.line"
    _description = "Dunning Action"
    _inherit = ["mail.thread", "credit.policy.workflow.mixin"]
    _order = "run_id desc, partner_id, id"
    _check_company_auto = True

    #: Everything but the note: the engine proposes, the action methods decide.
    #: The run's company and date and the customer's salesperson follow their
    #: source (the salesperson reads his customers' actions): never by hand.
    _credit_workflow_fields = frozenset(
        {
            "company_id", "currency_id", "date", "user_id",
            "run_id", "partner_id", "stage_id", "move_line_ids", "residuals", "amount_total",
            "oldest_due_date", "max_days_overdue", "channel", "state", "letter_attachment_id",
            "mail_id", "activity_id", "evaluation_id", "done_by_id", "done_date", "result",
            "promise_state", "next_action_date", "excluded_by_id",
        }
    )

    run_id = fields.Many2one("credit.policy.dunning.run", required=True, ondelete="cascade", index=True, readonly=True)
    # The run's company, currency and date, given with the row (see _propose):
    # as related fields, the ORM would compute them line by line before the
    # insert, or recompute them all after it; a run never changes them.
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", compute="_compute_user_id", store=True, index=True
    )
    stage_id = fields.Many2one("credit.policy.dunning.stage", required=True, readonly=True, index=True)
    action = fields.Selection(related="stage_id.action")
    shipping_effect = fields.Selection(related="stage_id.shipping_effect")
    block_new_orders = fields.Boolean(related="stage_id.block_new_orders")
    move_line_ids = fields.Many2many(
        "account.move.line",
        "credit_policy_dunning_line_move_line_rel",
        "dunning_line_id",
        "move_line_id",
        string="Overdue Items",
        readonly=True,
    )
    invoice_ids = fields.Many2many("account.move", compute="_compute_invoice_ids", string="Invoices")
    residuals = fields.Json(readonly=True, help="Residual of each overdue item when proposed.")
    amount_total = fields.Monetary(string="Overdue Amount", readonly=True)
    letter_totals_display = fields.Char(
        string="Amount Claimed",
        compute="_compute_letter_totals_display",
        help="What the letter claims, in the currencies of the invoices.",
    )
    oldest_due_date = fields.Date(readonly=True)
    max_days_overdue = fields.Integer(string="Days Overdue", readonly=True)
    channel = fields.Selection(
        [("none", "None"), ("email", "Email"), ("print", "Print"), ("both", "Email and Print")],
        readonly=True,
    )
    state = fields.Selection(
        [("proposed", "Proposed"), ("excluded", "Excluded"), ("done", "Done")],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    promise_state = fields.Selection(
        [("kept", "Promise Kept"), ("broken", "Promise Broken")], readonly=True
    )
    next_action_date = fields.Date(readonly=True)
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter", readonly=True)
    mail_id = fields.Many2one("mail.mail", string="Email", readonly=True)
    activity_id = fields.Many2one("mail.activity", string="Phone Call", readonly=True)
    evaluation_id = fields.Many2one("credit.policy.evaluation", string="Event Review", readonly=True)
    excluded_by_id = fields.Many2one("res.users", readonly=True)
    done_by_id = fields.Many2one("res.users", string="Done By", readonly=True)
    done_date = fields.Datetime(string="Done On", readonly=True)
    result = fields.Text(readonly=True)
    note = fields.Text()

    _sql_constraints = [
        ("run_partner_unique", "UNIQUE(run_id, partner_id)", "A run acts once per customer."),
    ]

    @api.depends("partner_id.user_id")
    def _compute_user_id(self):
        for line in self:
            line.user_id = line.partner_id.user_id

    @api.depends("move_line_ids")
    def _compute_invoice_ids(self):
        for line in self:
            line.invoice_ids = line.move_line_ids.move_id

    @api.depends("partner_id", "stage_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.partner_id.display_name} – {line.stage_id.name}"

    @api.model_create_multi
    def create(self, vals_list):
        if not is_credit_trusted(self.env):
            raise AccessError(self.env._("Dunning actions are proposed by a dunning run, never by hand."))
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(line.state == "done" for line in self):
            raise UserError(self.env._("A done dunning action is part of the customer's history and cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_controller(self):
        if not self.env.su and not self.env.user.has_group(CONTROLLER):
            raise AccessError(self.env._("Only Credit Controllers run dunning."))

    def action_exclude(self):
        """Leave these proposed actions out of their run."""
        self._check_controller()
        self.check_access("write")
        if any(line.state != "proposed" or line.run_id.state != "draft" for line in self):
            raise UserError(self.env._("Only proposed actions of a draft run can be excluded."))
        credit_trusted(self).write({"state": "excluded", "excluded_by_id": self.env.uid})
        return self._back_to_wizard()

    def action_include(self):
        """Put excluded actions back into their run."""
        self._check_controller()
        self.check_access("write")
        if any(line.state != "excluded" or line.run_id.state != "draft" for line in self):
            raise UserError(self.env._("Only excluded actions of a draft run can be included again."))
        credit_trusted(self).write({"state": "proposed", "excluded_by_id": False})
        return self._back_to_wizard()

    def _back_to_wizard(self):
        """Clicked in the finance wizard's preview: show the wizard again (a
        button returning nothing would close its dialog)."""
        wizard_id = self.env.context.get("credit_policy_dunning_wizard_id")
        if not isinstance(wizard_id, int):
            return True
        wizard = self.env["credit.policy.dunning.wizard"].sudo().browse(wizard_id).exists()
        if not wizard or wizard.create_uid != self.env.user or wizard.run_id != self.run_id:
            return True
        return wizard._reopen()

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------
    def _execute(self):
        """Carry out this proposed action: the stage's phone call or letter
        (emailed and/or to print), its consequences (event review at the
        lawyer's letter, credit hold at termination), and the customer's move
        up the ladder. Recorded on the line: what, who, when."""
        self.ensure_one()
        self._check_controller()
        line = self.sudo()
        if line.state != "proposed":
            return False
        company, stage = line.company_id, line.stage_id
        partner = line.partner_id.with_company(company)
        vals = {"state": "done", "done_by_id": self.env.uid, "done_date": fields.Datetime.now()}
        results = []
        if stage.action == policy.ACTION_PHONE:
            caller = line._salesperson()
            if not caller:
                # Nobody would see the call: the action waits for a person.
                credit_trusted(line).write(
                    {
                        "result": self.env._(
                            "Not done: %(customer)s has no salesperson working in %(company)s and the company "
                            "has no active Credit Controller to phone instead. Assign a salesperson, then "
                            "execute the run.",
                            customer=partner.name,
                            company=company.name,
                        )
                    }
                )
                return False
            vals["activity_id"] = line._schedule_phone_call(caller).id
            results.append(self.env._("Phone call scheduled for %(user)s.", user=caller.name))
        else:
            attachment = line._render_letter()
            vals["letter_attachment_id"] = attachment.id
            channel = line.channel
            if channel in ("email", "both"):
                if partner.email:
                    vals["mail_id"] = line._queue_email(attachment).id
                    results.append(self.env._("Letter emailed to %(email)s.", email=partner.email))
                else:
                    channel = "print"
                    vals["channel"] = channel
                    results.append(self.env._("No email address: letter to print instead."))
            if channel in ("print", "both"):
                results.append(self.env._("Letter to print."))
        if stage.action == policy.ACTION_LAWYER:
            evaluation = line._request_event_review()
            vals["evaluation_id"] = evaluation.id
            # a new event review, or the customer's evaluation already open
            results.append(self.env._("Lawyer's letter reported to evaluation %(review)s.", review=evaluation.name))
        if stage.action == policy.ACTION_TERMINATION and not partner.credit_on_hold:
            partner._credit_policy_set_master_data(
                {"credit_on_hold": True},
                reason=self.env._(
                    "Dunning: business terminated at stage %(stage)s (%(amount)s overdue, %(days)s days).",
                    stage=stage.name,
                    amount=line.currency_id.format(line.amount_total),
                    days=line.max_days_overdue,
                ),
            )
            results.append(self.env._("Customer put on credit hold."))
        line._move_customer()
        vals["result"] = "\n".join(results)
        credit_trusted(line).write(vals)
        partner.message_post(
            body=self.env._(
                "Dunning stage %(stage)s: %(amount)s overdue, oldest %(days)s days. %(result)s",
                stage=stage.name,
                amount=line.currency_id.format(line.amount_total),
                days=line.max_days_overdue,
                result=vals["result"],
            )
        )
        return True

    def _salesperson(self):
        """Who phones the customer: a person working in the run's company or
        one of its branches, who sees the activity. Its salesperson; else the
        user running dunning; else (the scheduled run's user is OdooBot, whom
        nobody reads) the company's first Credit Controller, those whose
        main company it is first. Empty when there is nobody."""
        self.ensure_one()
        area = set(self.env["credit.policy.check"]._credit_area_company_ids(self.company_id))

        def works_here(user):
            return bool(
                user
                and user.active
                and not user.share
                and not user._is_superuser()
                and set(user.sudo().company_ids.ids) & area
            )

        for user in (self.partner_id.user_id, self.env.user):
            if works_here(user):
                return user
        controllers = self.env["res.users"].sudo().search(
            [
                ("groups_id", "in", self.env.ref(CONTROLLER).id),
                ("share", "=", False),
                ("company_ids", "in", list(area)),
            ],
            order="id",
        )
        controllers = controllers.filtered(works_here).sorted(
            lambda user: (user.company_id.id not in area, user.id)
        )
        return controllers[:1].with_env(self.env)

    def _schedule_phone_call(self, user):
        self.ensure_one()
        partner = self.partner_id.sudo()
        # written for the caller: in his language, whoever runs dunning
        env = env_in_language(self, user)
        rows = "\n".join(
            env._(
                "%(number)s due %(due)s: %(amount)s",
                number=row["number"],
                due=row["due_date"],
                amount=row["currency"].with_env(env).format(row["residual"]),
            )
            for row in self._letter_rows()
        )
        return partner.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.date,
            summary=env._(
                "Call %(customer)s about %(amount)s overdue",
                customer=partner.name,
                amount=self.currency_id.with_env(env).format(self.amount_total),
            ),
            note=rows,
            user_id=user.id,
        )

    def _render_letter(self):
        """Render this line's letter alone and keep it as an attachment."""
        self.ensure_one()
        report = self.stage_id.report_id or self.env.ref("credit_policy_dunning.action_report_dunning_letter")
        content, kind = self.env["ir.actions.report"].sudo()._render_qweb_pdf(report.sudo(), res_ids=self.ids)
        is_pdf = kind == "pdf"
        name = self._letter_filename()
        if not is_pdf:
            name = name[: -len(".pdf")] + ".html"
        return self.env["ir.attachment"].sudo().create(
            {
                "name": name,
                "raw": content,
                "mimetype": "application/pdf" if is_pdf else "text/html",
                "res_model": self._name,
                "res_id": self.id,
                # explicit: created as the user, whose personal default could publish it
                "public": False,
            }
        )

    def _queue_email(self, attachment):
        """Queue the stage's email with the letter attached (sent by the mail queue)."""
        self.ensure_one()
        template = self.stage_id.mail_template_id or self.env.ref("credit_policy_dunning.mail_template_dunning_letter")
        mail_id = template.sudo().send_mail(
            self.id, force_send=False, email_values={"attachment_ids": [fields.Command.link(attachment.id)]}
        )
        return self.env["mail.mail"].sudo().browse(mail_id)

    def _request_event_review(self):
        """Seed 003: a delinquent customer is re-evaluated (event review, from
        its last scoring sheet), or its open evaluation is told of the
        lawyer's letter: the core's one way of opening event reviews."""
        self.ensure_one()
        return self.env["credit.policy.evaluation"]._credit_event_review(
            self.partner_id,
            self.company_id,
            "poor_payment",
            self.env._(
                "Dunning reached %(stage)s: %(amount)s overdue, oldest invoice %(days)s days past due.",
                stage=self.stage_id.name,
                amount=self.currency_id.format(self.amount_total),
                days=self.max_days_overdue,
            ),
            self.env._("Re-evaluation after a lawyer's letter of the dunning run."),
            self.env.user,
        )

    def _move_customer(self):
        """Put the customer on this line's stage (per company): the credit
        check's shipping and order rules read it."""
        self.ensure_one()
        partner = self.partner_id.sudo().with_company(self.company_id)
        vals = {
            "dunning_stage_id": self.stage_id.id,
            "dunning_stage_date": self.date,
            "dunning_next_action_date": self.next_action_date,
        }
        if self.promise_state:
            vals.update(partner._dunning_promise_cleared())
            partner.message_post(
                body=self.env._("Promise to pay broken: dunning escalates to %(stage)s.", stage=self.stage_id.name)
            )
        credit_trusted(partner).write(vals)
        self.env["credit.policy.status"]._mark_dirty(partner, self.company_id)

    # ------------------------------------------------------------------
    # Letters
    # ------------------------------------------------------------------
    def _letter_rows(self):
        """Rows of the letter's table of overdue invoices, oldest first, each
        in its invoice's currency: what the customer owes is what it was
        invoiced in. The amount due is the item's residual net of the credit
        on account the run applied to it, in that currency in proportion."""
        self.ensure_one()
        residuals = {int(key): value for key, value in (self.residuals or {}).items()}
        rows = []
        for move_line in self.move_line_ids.sudo().sorted(lambda aml: (aml.date_maturity, aml.id)):
            due = move_line.date_maturity
            residual = residuals.get(move_line.id, move_line.amount_residual)
            currency = move_line.currency_id or self.currency_id
            if currency != self.currency_id and move_line.amount_residual:
                residual = currency.round(move_line.amount_residual_currency * residual / move_line.amount_residual)
            rows.append(
                {
                    "number": move_line.move_id.name,
                    "date": move_line.move_id.invoice_date or move_line.date,
                    "due_date": due,
                    "days": (self.date - due).days if due and self.date else 0,
                    "residual": residual,
                    "currency": currency,
                }
            )
        return rows

    def _compute_letter_totals_display(self):
        for line in self:
            line.letter_totals_display = " + ".join(
                currency.format(amount) for currency, amount in line._letter_totals()
            )

    def _letter_totals(self):
        """The letter's total overdue, one per currency of its invoices:
        ``[(currency, amount)]``, the company's currency first."""
        totals = {}
        for row in self._letter_rows():
            totals[row["currency"]] = totals.get(row["currency"], 0.0) + row["residual"]
        return sorted(
            ((currency, currency.round(amount)) for currency, amount in totals.items()),
            key=lambda total: (total[0] != self.currency_id, total[0].name),
        )

    def _letter_bank_accounts(self):
        """The company's bank accounts for the payment instructions."""
        self.ensure_one()
        return self.company_id.sudo().partner_id.bank_ids

    def _letter_filename(self):
        """The letter's file name, in the customer's language (he receives it
        attached to the email)."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        return env._(
            "Dunning letter %(customer)s %(date)s", customer=self.partner_id.name, date=self.date
        ).replace("/", "-") + ".pdf"
