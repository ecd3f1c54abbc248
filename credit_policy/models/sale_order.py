from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.credit_policy import policy
from odoo.addons.credit_policy.tools import env_in_language

#: Context key holding ``{order id: CreditCheckResult}`` during a confirmation.
CONFIRM_RESULTS_KEY = "credit_policy_confirm_results"
#: The fields that say when an order falls due (check._sql_line_due_within_horizon).
ORDER_DUE_FIELDS = {"commitment_date", "date_order"}
#: A context value no client can send (JSON-RPC carries plain data): set by
#: Confirm and Cancel around Odoo's own writes of the state, the only ways an
#: order enters or leaves the confirmed state (see ``_credit_raise_if_state_forged``).
STATE_TOKEN = object()
STATE_TOKEN_KEY = "credit_policy_order_state_token"


class SaleOrder(models.Model):
    """Credit check at order confirmation (POLICY.md §4: "check at order entry").

    The company's ``credit_check_mode`` decides: ``off`` confirms, ``warn``
    confirms and posts the failed rules in the chatter, ``block`` refuses. In
    block mode the form shows a wizard offering a temporary limit request;
    every other path (RPC, portal, batch) hits the hard stop in
    :meth:`_confirmation_error_message`.
    """

    _inherit = "sale.order"

    credit_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Credit Currency"
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_banner",
        currency_field="credit_currency_id",
        groups="credit_policy.group_credit_policy_user",
    )
    credit_usage_percent = fields.Float(
        string="Credit Usage (%)",
        compute="_compute_credit_banner",
        groups="credit_policy.group_credit_policy_user",
    )
    credit_status = fields.Selection(
        # The customer's statuses, with their labels in the reader's language
        # (a callable selection is not translated by itself).
        selection=lambda self: self.env["res.partner"]._fields["credit_status"]._description_selection(self.env),
        compute="_compute_credit_banner",
        groups="credit_policy.group_credit_policy_user",
    )
    credit_check_message = fields.Text(
        compute="_compute_credit_banner",
        groups="credit_policy.group_credit_policy_user",
        help="Credit rules this quotation would break if confirmed now.",
    )
    credit_customer_id = fields.Many2one(
        "res.partner",
        string="Credit Account",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer (commercial entity) whose credit this order and its deliveries use: "
        "its invoiced customer, fixed when the order is confirmed.",
    )

    def _compute_partner_credit_warning(self):
        # EXTENDS 'sale': one credit figure (see account.move): the credit
        # policy's banner replaces Odoo's own partner credit warning.
        super()._compute_partner_credit_warning()
        for order in self:
            order.partner_credit_warning = ""

    # Orders held by the credit check (credit staff's list, beside the blocked
    # deliveries): recorded by the server when a confirmation is refused or
    # confirmed despite a warning; nobody else writes them.
    credit_hold_state = fields.Selection(
        [("refused", "Refused at Confirmation"), ("warned", "Confirmed Despite a Warning")],
        string="Credit Check",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    credit_hold_date = fields.Datetime(
        string="Held Since", readonly=True, copy=False
    )
    credit_hold_rules = fields.Text(
        string="Failed Credit Rules", readonly=True, copy=False
    )
    credit_hold_age_days = fields.Integer(
        string="Held For (days)",
        compute="_compute_credit_hold_age_days",
    )

    def _compute_credit_hold_age_days(self):
        now = fields.Datetime.now()
        for order in self:
            date = order.sudo().credit_hold_date
            order.credit_hold_age_days = (now - date).days if date else 0

    @api.depends("partner_invoice_id", "amount_total", "company_id", "state", "currency_id")
    def _compute_credit_banner(self):
        for order in self:
            if not order.partner_invoice_id or order.company_id.root_id.credit_check_mode == "off":
                order.update(
                    {
                        "credit_available": 0.0,
                        "credit_usage_percent": 0.0,
                        "credit_status": False,
                        "credit_check_message": False,
                    }
                )
                continue
            result = order._credit_evaluate()
            messages = [result.message()] if result.blocked else []
            if result.figures["prepayment_due"] > 0:
                # Not a block at confirmation: the prepayment is due before delivery.
                messages.append(
                    self.env._(
                        "A prepayment of %(due)s is required before delivery.",
                        due=self.env["credit.policy.check"]._format(
                            order.company_id, result.figures["prepayment_due"]
                        ),
                    )
                )
            order.update(
                {
                    "credit_available": result.figures["available"],
                    "credit_usage_percent": result.figures["usage_percent"],
                    "credit_status": result.figures["status"],
                    "credit_check_message": "\n".join(messages) or False,
                }
            )

    # ------------------------------------------------------------------
    # Credit check
    # ------------------------------------------------------------------

    def _credit_check_amount(self):
        """Value of the order not yet in the exposure, in company currency.

        A quotation adds its total less what the customer already paid for it
        (down payments, online payments not posted yet; a posted one lowers
        the open receivables already): only the rest is new credit. A
        confirmed order is already part of the exposure.
        """
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            return 0.0
        order = self._origin
        check = self.env["credit.policy.check"]
        received = check._order_received(order, self.company_id, outside_receivables=True) if order else 0.0
        return self.currency_id._convert(
            max(self.amount_total - received, 0.0),
            self.company_id.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _credit_evaluate(self):
        """Evaluate the credit rules for this order's customer (the invoiced one).

        During a confirmation, the result :meth:`action_confirm` computed for
        this order is reused: one evaluation per order and confirmation.
        """
        self.ensure_one()
        result = (self.env.context.get(CONFIRM_RESULTS_KEY) or {}).get(self.id)
        # Only an object this server made counts; an RPC context carries JSON.
        if isinstance(result, policy.CreditCheckResult):
            return result
        return self.env["credit.policy.check"]._evaluate(
            self.partner_invoice_id or self.partner_id,
            company=self.company_id,
            amount=self._credit_check_amount(),
            order=self._origin,
        )

    def _credit_evaluate_in_sequence(self):
        """Evaluate these orders as confirmed one after the other: the orders
        of one credit account each count the ones before them, so that two
        orders cannot both pass on the same available credit. In block and
        warn modes the credit account is locked first (as the delivery block
        does), which serialises concurrent confirmations for it: in warn mode
        the second of two orders that only break the rules together is
        recorded as confirmed despite a warning (Held Orders).

        :return: ``{order id: CreditCheckResult}``
        """
        check = self.env["credit.policy.check"]
        earlier = defaultdict(float)
        earlier_own = defaultdict(float)
        results = {}
        for order in self:
            partner = order.partner_invoice_id or order.partner_id
            commercial = partner.commercial_partner_id.sudo()
            area = check._credit_area(order.company_id)
            # the orders of a credit group's members, and of a company's branches, share one account
            key = (check._get_credit_account(commercial).id, area.id)
            checked = order._credit_check_applies("block") or order._credit_check_applies("warn")
            if checked and key not in earlier:
                check._lock_credit_account(partner, order.company_id)
            amount = order._credit_check_amount()
            results[order.id] = check._evaluate(
                partner, company=order.company_id, amount=amount, order=order._origin,
                earlier_amount=earlier[key], earlier_own_amount=earlier_own[(commercial.id, area.id)],
            )
            earlier[key] += amount
            earlier_own[(commercial.id, area.id)] += amount
        return results

    def _credit_check_applies(self, mode):
        self.ensure_one()
        return self.state in ("draft", "sent") and self.company_id.root_id.credit_check_mode == mode

    def _confirmation_error_message(self):
        # EXTENDS 'sale': the server-side hard stop of block mode, whatever the caller.
        message = super()._confirmation_error_message()
        if message or not self._credit_check_applies("block"):
            return message
        result = self._credit_evaluate()
        if result.blocked:
            return self.env._(
                "The credit policy blocks the confirmation of %(order)s:\n%(reasons)s",
                order=self.name,
                reasons=result.message(),
            )
        return False

    def action_confirm(self):
        # EXTENDS 'sale': in block mode, show the failed rules with the option
        # to request a temporary limit instead of a bare error. Each order is
        # evaluated once; the hard stop of _confirmation_error_message reuses it.
        checked = self.filtered(
            lambda o: o._credit_check_applies("block") or o._credit_check_applies("warn")
        )
        results = checked.with_context(**{CONFIRM_RESULTS_KEY: None})._credit_evaluate_in_sequence()
        self = self.with_context(**{CONFIRM_RESULTS_KEY: results})
        blocked = checked.filtered(
            lambda o: o._credit_check_applies("block") and results[o.id].blocked
        )
        if blocked:
            for order in blocked:
                order._credit_record_hold("refused", results[order.id])
            return blocked[:1].with_env(self.env)._credit_action_blocked_wizard()
        warned = {
            order: results[order.id]
            for order in checked.with_env(self.env)
            if order._credit_check_applies("warn") and results[order.id].blocked
        }
        res = super(SaleOrder, self.with_context(**{STATE_TOKEN_KEY: STATE_TOKEN})).action_confirm()
        for order, result in warned.items():
            order._credit_post_warning(result)
            order._credit_record_hold("warned", result)
        if warned and res is True:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "title": self.env._("Confirmed despite the credit policy"),
                    "message": "\n".join(r.message() for r in warned.values()),
                    "sticky": False,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return res

    def _credit_record_hold(self, hold_state, result):
        """Record that the credit check refused (or warned about) this order."""
        self.ensure_one()
        # Sudo: a fact the server records, whoever confirms.
        self.sudo().write(
            {
                "credit_hold_state": hold_state,
                "credit_hold_date": fields.Datetime.now(),
                "credit_hold_rules": "\n".join(failure.message for failure in result.failures),
            }
        )

    def _credit_check_staff(self):
        if not self.env.user.has_group("credit_policy.group_credit_policy_controller"):
            raise AccessError(self.env._("Only credit staff act on the orders held by the credit check."))
        # on the orders they may read: those of their companies (what follows runs as superuser)
        self.check_access("read")

    def action_credit_request_temporary_limit(self):
        """Held orders list: the order check prompt, with Request Temporary Limit."""
        if len(self) != 1:
            raise UserError(self.env._("Request a temporary limit for one order at a time."))
        self._credit_check_staff()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("%(order)s is no longer a quotation.", order=self.name))
        return self._credit_action_blocked_wizard()

    def action_credit_notify_salesperson(self):
        """Held orders list: ask each order's salesperson to act (a to-do with
        the failed rules, in the salesperson's language)."""
        self._credit_check_staff()
        notified = self.browse()
        for order in self.sudo():
            user = order.user_id
            if not user or user.share or not user.active:
                continue
            env = env_in_language(order, user)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Credit check: quotation %(order)s is held", order=order.name),
                note=env._(
                    "The credit check held %(order)s: %(rules)s Settle the overdue invoices, obtain a "
                    "prepayment or request a temporary limit.",
                    order=order.name,
                    rules=order.credit_hold_rules or "",
                ),
                user_id=user.id,
            )
            notified |= order
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if notified else "warning",
                "message": self.env._(
                    "%(count)s salespeople notified.", count=len(notified.user_id)
                )
                if notified
                else self.env._("These orders have no salesperson to notify."),
            },
        }

    def _credit_post_warning(self, result):
        self.ensure_one()
        items = Markup("").join(Markup("<li>%s</li>") % f.message for f in result.failures)
        self.message_post(
            body=Markup("%s<ul>%s</ul>")
            % (self.env._("Confirmed although the credit policy warns:"), items),
            subtype_xmlid="mail.mt_note",
        )

    def _credit_action_blocked_wizard(self):
        self.ensure_one()
        result = self._credit_evaluate()
        wizard = self.env["credit.policy.order.check.wizard"].create(
            {
                "order_id": self.id,
                "message": result.message(),
                "exposure": result.figures["exposure"],
                "effective_limit": result.figures["effective_limit"],
                "shortfall": policy.temporary_limit_request_amount(
                    result.failures, result.figures["exposure"], result.figures["effective_limit"]
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Check"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _action_confirm(self):
        # The confirmation's credit results stay out of what confirming triggers.
        self = self.with_context(**{CONFIRM_RESULTS_KEY: None})
        # Sudo: a fact the server records, whoever confirms.
        for order in self.sudo():
            order.credit_customer_id = order.partner_invoice_id.commercial_partner_id
            if order.credit_hold_state == "refused":
                # Confirmed now: no longer held (a warning is recorded after).
                order.credit_hold_state = False
        res = super()._action_confirm()
        self._credit_mark_dirty()
        return res

    def _action_cancel(self):
        res = super(SaleOrder, self.with_context(**{STATE_TOKEN_KEY: STATE_TOKEN}))._action_cancel()
        self._credit_mark_dirty()
        return res

    def _credit_state_trusted(self):
        return self.env.su or self.env.context.get(STATE_TOKEN_KEY) is STATE_TOKEN

    def _credit_raise_if_state_forged(self, new_state):
        """An order enters the confirmed state by Confirm only, which checks
        the customer's credit, and leaves it by Cancel only: a state written by
        hand (or given at creation) would confirm what the check refuses, or
        take a confirmed order out of the exposure to make room for another."""
        if self._credit_state_trusted():
            return
        confirming = new_state == "sale" and any(order.state != "sale" for order in self)
        leaving = new_state != "sale" and any(order.state == "sale" for order in self)
        if confirming or leaving:
            raise AccessError(
                self.env._(
                    "An order is confirmed with Confirm, which checks the customer's credit, and cancelled "
                    "with Cancel: its state is not written by hand."
                )
            )

    def _credit_mark_dirty(self):
        status = self.env["credit.policy.status"]
        for company in self.company_id:
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            status._mark_dirty(orders.partner_invoice_id, company)

    # ------------------------------------------------------------------
    # The credit account an order uses
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # given in vals, a default_state context key or a personal default
        orders.filtered(lambda order: order.state == "sale")._credit_raise_if_created_confirmed()
        if not self.env.su:
            # Only a confirmation sets the credit account and the credit
            # check's verdict: not the values, default_* context keys or
            # personal defaults of the creator.
            orders.sudo().filtered("credit_customer_id").credit_customer_id = False
            forged = orders.sudo().filtered(lambda o: o.credit_hold_state or o.credit_hold_date or o.credit_hold_rules)
            if forged:
                forged.write({"credit_hold_state": False, "credit_hold_date": False, "credit_hold_rules": False})
        return orders

    def write(self, vals):
        # The deliveries of an order are checked against the credit of its
        # invoiced customer, recorded at confirmation
        # (stock.move._credit_policy_customer): once the order is confirmed,
        # or has stock moves, nobody but the superuser hands them to another
        # commercial entity.
        if ORDER_DUE_FIELDS & vals.keys():
            # when a confirmed order falls due moves it into or out of the
            # open-order horizon
            self.filtered(lambda order: order.state == "sale")._credit_mark_dirty()
        if "state" in vals:
            self._credit_raise_if_state_forged(vals["state"])
        if self.env.su:
            return super().write(vals)
        if "credit_customer_id" in vals:
            raise UserError(self.env._("The credit account of an order is set when the order is confirmed."))
        if {"credit_hold_state", "credit_hold_date", "credit_hold_rules"} & set(vals):
            raise UserError(self.env._("The credit check records its own verdict on an order."))
        if not {"partner_id", "partner_invoice_id"} & set(vals):
            return super().write(vals)
        before = {
            order: order.partner_invoice_id.commercial_partner_id for order in self if order._credit_customer_fixed()
        }
        res = super().write(vals)
        for order, customer in before.items():
            if order.partner_invoice_id.commercial_partner_id != customer:
                raise UserError(
                    self.env._(
                        "Order %(order)s is confirmed: its invoiced customer can no longer be changed from "
                        "%(customer)s to another company, whose credit its deliveries would then use. Cancel "
                        "the order and create one for %(new_customer)s instead.",
                        order=order.name,
                        customer=customer.display_name,
                        new_customer=order.partner_invoice_id.commercial_partner_id.display_name,
                    )
                )
        return res

    def _credit_raise_if_created_confirmed(self):
        if self and not self._credit_state_trusted():
            raise AccessError(
                self.env._("An order is created as a quotation and confirmed with Confirm, which checks the "
                           "customer's credit.")
            )

    def _credit_customer_fixed(self):
        """Whether this order's invoiced customer (its commercial entity) is
        fixed: the order is confirmed, or has stock moves that are not
        cancelled (a state written back by hand does not free it)."""
        self.ensure_one()
        return self.state == "sale" or bool(
            self.sudo().order_line.move_ids.filtered(lambda move: move.state != "cancel")
        )
