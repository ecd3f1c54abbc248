from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from odoo.addons.credit_policy import policy

from .common import CreditExposureCommon, CreditPolicyDeliveryCase, CreditPolicyDeliveryMixin

TODAY = date(2026, 7, 15)  # last complete month: June 2026


def _signal_kinds(env, partner, company, active=True):
    signals = env["credit.policy.crisis.signal"].with_context(active_test=False).search(
        [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("active", "=", active)]
    )
    return sorted(signals.mapped("kind"))


def _levels(env, partners, company):
    """{partner id: crisis level (int)} of ``partners`` in ``company``'s credit control area."""
    Level = env["credit.policy.crisis.level"].sudo()
    records = Level.search(Level._credit_level_domain(partners, company))
    return {record.partner_id.id: int(record.level) for record in records}


@tagged("post_install", "-at_install")
class TestCrisisSignalScan(CreditExposureCommon):
    """The monthly scan (POLICY.md §5, seed 000 H / 004) on known histories,
    at the boundaries of each signal."""

    def _customer(self, name):
        return self.env["res.partner"].create({"name": name, "is_company": True})

    def _order_on(self, partner, when, amount):
        order = self._order(partner, 1, price=amount)
        order.date_order = when
        return order

    def _invoice_due(self, partner, due, amount=100.0, paid_on=None):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create({"name": "Widget", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.line_ids.filtered("date_maturity").mapped("date_maturity"), [due])
        if paid_on:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount, "payment_date": paid_on})._create_payments()
        return invoice

    def _scan(self, today=TODAY):
        return self.env["credit.policy.crisis.signal"]._scan(self.company, today)

    def test_demand_below_share_of_twelve_month_average(self):
        below, at, zero = self._customer("Below"), self._customer("At"), self._customer("Zero")
        for partner in (below, at, zero):
            # 1,200 over the 12 months before June: a monthly average of 100.
            self._order_on(partner, datetime(2026, 1, 10, 12), 1200.0)
        self._order_on(below, datetime(2026, 6, 10, 12), 49.0)
        self._order_on(at, datetime(2026, 6, 10, 12), 50.0)
        self.assertEqual(self.company.credit_crisis_demand_percent, 50.0)
        self._scan()
        self.assertIn("demand_drop", _signal_kinds(self.env, below, self.company))
        self.assertNotIn("demand_drop", _signal_kinds(self.env, at, self.company), "50 % is not below 50 %")
        self.assertIn("demand_drop", _signal_kinds(self.env, zero, self.company), "no order at all counts")
        # An order of the current month does not count for the last complete month.
        self.assertNotIn("demand_drop", _signal_kinds(self.env, self._customer("New"), self.company))

    def test_no_order_for_two_months(self):
        silent, recent, dormant = self._customer("Silent"), self._customer("Recent"), self._customer("Dormant")
        self._order_on(silent, datetime(2026, 5, 14, 12), 100.0)
        self._order_on(recent, datetime(2026, 5, 15, 12), 100.0)
        self._order_on(dormant, datetime(2025, 7, 1, 12), 100.0)  # more than 12 months before
        self._scan()
        self.assertIn("no_orders", _signal_kinds(self.env, silent, self.company))
        self.assertNotIn("no_orders", _signal_kinds(self.env, recent, self.company), "exactly two months ago")
        self.assertNotIn("no_orders", _signal_kinds(self.env, dormant, self.company), "not an active customer")

    def test_two_consecutive_missed_due_dates(self):
        missed, once, gap = self._customer("Missed"), self._customer("Once"), self._customer("Gap")
        self._invoice_due(missed, date(2026, 5, 10), paid_on=date(2026, 5, 11))
        # still open, above the small amounts ignored (100.00 by default)
        self._invoice_due(missed, date(2026, 6, 10), amount=1000.0)
        self._invoice_due(once, date(2026, 5, 10), paid_on=date(2026, 5, 20))
        self._invoice_due(once, date(2026, 6, 10), paid_on=date(2026, 6, 10))  # paid on its due date
        self._invoice_due(gap, date(2026, 4, 10))  # April and June: not consecutive
        self._invoice_due(gap, date(2026, 6, 10))
        self._scan()
        self.assertIn("missed_payments", _signal_kinds(self.env, missed, self.company))
        self.assertNotIn("missed_payments", _signal_kinds(self.env, once, self.company))
        self.assertNotIn("missed_payments", _signal_kinds(self.env, gap, self.company))
        level = _levels(self.env, missed, self.company)
        self.assertEqual(level[missed.id], 2, "two consecutive missed payments: the second level at once")

    def test_payments_on_account_pay_the_due_dates(self):
        """A customer paying each due date on account, his payments not matched
        to the invoices yet, misses nothing: unmatched payments pay the oldest
        open items first, as the overdue rules net them."""
        on_account = self._customer("On Account")
        for due in (date(2026, 5, 10), date(2026, 6, 10)):
            self._invoice_due(on_account, due)
            payment = self.env["account.payment"].create(
                {"payment_type": "inbound", "partner_type": "customer", "partner_id": on_account.id,
                 "amount": 100.0, "date": due}
            )
            payment.action_post()
        self._scan()
        self.assertNotIn("missed_payments", _signal_kinds(self.env, on_account, self.company))
        poor = self.env["credit.policy.evaluation"]._poor_payment_months(self.company, TODAY, months=2)
        self.assertNotIn(on_account.id, poor)

    def test_payment_delay_jump(self):
        jump, small = self._customer("Jump"), self._customer("Small")
        for partner, paid_on in ((jump, date(2026, 5, 10)), (small, date(2026, 5, 9))):
            # 10 days late in the 9 months before; 30 (29) days late in the last 3.
            self._invoice_due(partner, date(2026, 1, 10), paid_on=date(2026, 1, 20))
            self._invoice_due(partner, date(2026, 4, 10), paid_on=paid_on)
        self.assertEqual(self.company.credit_crisis_delay_jump_days, 20)
        self._scan()
        self.assertIn("delay_jump", _signal_kinds(self.env, jump, self.company))
        self.assertNotIn("delay_jump", _signal_kinds(self.env, small, self.company))
        self.company.credit_crisis_delay_jump_days = 0
        self._scan()
        self.assertNotIn("delay_jump", _signal_kinds(self.env, jump, self.company), "0 disables the signal")

    def test_scan_is_idempotent_and_clears_what_it_no_longer_finds(self):
        silent = self._customer("Silent")
        self._order_on(silent, datetime(2026, 5, 1, 12), 100.0)
        self._scan()
        self._scan()
        signals = self.env["credit.policy.crisis.signal"].search([("partner_id", "=", silent.id)])
        self.assertEqual(sorted(signals.mapped("kind")), ["demand_drop", "no_orders"], "one signal of each kind")
        self.assertEqual(set(signals.mapped("source")), {"scan"})
        level = self.env["credit.policy.crisis.level"].sudo().search([("partner_id", "=", silent.id)])
        self.assertEqual(level.level, "2")
        # The customer orders again in July: no longer silent.
        self._order_on(silent, datetime(2026, 7, 1, 12), 100.0)
        self._scan()
        self.assertEqual(_signal_kinds(self.env, silent, self.company), ["demand_drop"])
        self.assertEqual(_signal_kinds(self.env, silent, self.company, active=False), ["no_orders"])
        self.assertEqual(level.level, "1", "the level follows the signals down")
        # In August, June's order average stays but July's orders are back to normal.
        self._order_on(silent, datetime(2026, 7, 2, 12), 1000.0)
        self._scan(date(2026, 8, 15))
        self.assertEqual(_signal_kinds(self.env, silent, self.company), [])
        self.assertEqual(level.level, "0", "lifted when its signals clear")

    def test_scan_per_company(self):
        other = self.env["res.company"].create({"name": "Crisis Scan Other Co"})
        silent = self._customer("Silent")
        self._order_on(silent, datetime(2026, 5, 1, 12), 100.0)
        self.env["credit.policy.crisis.signal"]._scan(other, TODAY)
        self.assertEqual(_signal_kinds(self.env, silent, other), [], "the other company has no orders of it")
        self._scan()
        self.assertEqual(_signal_kinds(self.env, silent, self.company), ["demand_drop", "no_orders"])
        self.assertEqual(
            _levels(self.env, silent, other), {}, "no level in the other company"
        )


@tagged("post_install", "-at_install")
class TestCrisisResponseLevels(CreditPolicyDeliveryCase):
    """Response levels (seed 000 H): the delivery rule per level with the right
    releaser, the order block at level 3, logging, activities, the event
    re-evaluation and who may record a signal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.salesman
        cls.other_customer = cls.env["res.partner"].create({"name": "Someone Else's Customer", "is_company": True})

    def _record(self, kind, partner=None, user=None, **vals):
        Signal = self.env["credit.policy.crisis.signal"].with_user(user or self.controller)
        return Signal.create(
            {"partner_id": (partner or self.customer).id, "kind": kind, "description": "Heard at the trade fair", **vals}
        )

    def _level(self, partner=None):
        partner = partner or self.customer
        return _levels(self.env, partner, self.company).get(partner.id, 0)

    def _crisis_reviews(self):
        return self.env["credit.policy.evaluation"].search(
            [("partner_id", "=", self.customer.id), ("trigger", "=", "crisis"), ("state", "=", "draft")]
        )

    def test_levels_from_signals_and_litigation(self):
        self.assertEqual(policy.crisis_level([]), 0)
        self.assertEqual(policy.crisis_level(["demand_drop"]), 1)
        self.assertEqual(policy.crisis_level(["other", "other"]), 1, "the same kind twice is one signal")
        self.assertEqual(policy.crisis_level(["missed_payments"]), 2)
        self.assertEqual(policy.crisis_level(["demand_drop", "other"]), 2)
        self.assertEqual(policy.crisis_level(["demand_drop", "other", "salary_arrears"]), 3)
        self.assertEqual(policy.crisis_level([], litigation=True), 3)

    def test_level_one_restricts_shipping_controller_releases(self):
        signal = self._record("suppliers_chasing")
        self.assertEqual(self._level(), 1)
        self.assertEqual(self.customer.with_user(self.controller).credit_crisis_level, "1")
        picking = self._create_sale_delivery(1)
        wizard = self._assert_prompt(self._validate(picking))
        release = wizard.release_ids
        self.assertEqual(release.failure_codes, policy.CRISIS_RESTRICT_CODE)
        self.assertEqual(release.crisis_level, 1, "the level is a figure of the blocked list")
        self.assertFalse(release.manager_required)
        self._release(picking, user=self.controller)
        self.assertIs(self._validate(picking), True)
        # Activities for the salesperson: intensify collection.
        summaries = self.customer.activity_ids.filtered(lambda a: a.user_id == self.salesman).mapped("summary")
        self.assertTrue(any("Intensify collection" in s for s in summaries))
        # Logged on the customer, with an event re-evaluation due within 48 hours.
        self.assertTrue(any("Crisis response level" in m.body for m in self.customer.message_ids))
        review = self._crisis_reviews()
        self.assertEqual(len(review), 1)
        self.assertEqual(review.kind, "event")
        self.assertTrue(review.deadline)
        # Lifting: the signal is closed, the level goes back to 0 and ships freely.
        signal.with_user(self.controller).active = False
        self.assertEqual(self._level(), 0)
        self.assertIs(self._validate(self._create_sale_delivery(1)), True)

    def test_level_two_needs_a_manager(self):
        self._record("suppliers_chasing")
        self._record("salary_arrears")
        self.assertEqual(self._level(), 2)
        picking = self._create_sale_delivery(1)
        release = self._assert_prompt(self._validate(picking)).release_ids
        self.assertEqual(release.failure_codes, policy.CRISIS_MANAGER_CODE)
        self.assertTrue(release.manager_required)
        with self.assertRaises(AccessError):
            self._release(picking, user=self.controller)
        self._release(picking, user=self.manager)
        self.assertIs(self._validate(picking), True)
        summaries = " ".join(self.customer.activity_ids.mapped("summary"))
        for task in ("Site visit", "Asset investigation", "Inform the legal department"):
            self.assertIn(task, summaries)
        legal = self.customer.activity_ids.filtered(lambda a: "legal" in a.summary)
        self.assertIn(self.manager, legal.user_id)
        self.assertEqual(len(self._crisis_reviews()), 1, "the level changes join the open re-evaluation")

    def test_level_three_stops_shipping_and_blocks_orders(self):
        self._record("other")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.controller).action_credit_crisis_prepare_litigation()
        self.customer.with_user(self.manager).action_credit_crisis_prepare_litigation()
        self.assertEqual(self._level(), 3)
        picking = self._create_sale_delivery(1)
        release = self._assert_prompt(self._validate(picking)).release_ids
        self.assertEqual(release.failure_codes, policy.CRISIS_STOP_CODE)
        self.assertTrue(release.manager_required)
        with self.assertRaises(AccessError):
            self._release(picking, user=self.controller)
        self.company.credit_check_mode = "block"
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 10})],
            }
        )
        result = self.env["credit.policy.check"]._evaluate(self.customer, order=order, amount=10.0)
        self.assertIn(policy.CRISIS_ORDERS_CODE, [f.code for f in result.failures])
        action = order.with_user(self.salesman).action_confirm()
        self.assertIsInstance(action, dict, "the confirmation shows the failed rules instead")
        self.assertEqual(order.state, "draft")
        self.assertIn("crisis response level 3", order.with_user(self.salesman)._confirmation_error_message())
        # Dropping the litigation: back to the level of the signals.
        self.customer.with_user(self.manager).action_credit_crisis_drop_litigation()
        self.assertEqual(self._level(), 1)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_salesperson_records_for_own_customers_only(self):
        signal = self._record("management_churn", user=self.salesman)
        self.assertEqual(signal.user_id, self.salesman)
        self.assertEqual(signal.source, "user")
        self.assertEqual(self._level(), 1)
        with self.assertRaises(AccessError):
            self._record("management_churn", partner=self.other_customer, user=self.salesman)
        with self.assertRaises(AccessError):
            signal.with_user(self.salesman).active = False
        with self.assertRaises(AccessError):
            self._record("other", user=self.warehouse_user)
        with self.assertRaises(AccessError):
            self.env["credit.policy.crisis.signal"].with_user(self.warehouse_user).search([])

    def test_scan_kinds_and_levels_are_the_servers(self):
        with self.assertRaises(ValidationError):
            self._record("missed_payments")
        signal = self._record("other", source="scan", user_id=self.manager.id)
        self.assertEqual(signal.user_id, self.controller, "who recorded it is the creator")
        self.assertEqual(signal.source, "user")
        with self.assertRaises(AccessError):
            signal.with_user(self.controller).write({"source": "scan"})
        with self.assertRaises(AccessError):
            signal.with_user(self.controller).write({"kind": "missed_payments"})
        Level = self.env["credit.policy.crisis.level"]
        with self.assertRaises(AccessError):
            Level.with_user(self.manager).create({"partner_id": self.customer.id, "company_id": self.company.id})
        with self.assertRaises(AccessError):
            Level.with_user(self.manager).sudo(False).search([("partner_id", "=", self.customer.id)]).write(
                {"level": "0"}
            )
        self.assertEqual(self._level(), 1)

    def test_levels_per_company(self):
        other = self.env["res.company"].create({"name": "Crisis Other Co"})
        self.controller.write({"company_ids": [Command.link(other.id)]})
        self._record("other", company_id=other.id)
        self.assertEqual(self._level(), 0, "a signal of another company does not act here")
        self.assertEqual(
            _levels(self.env, self.customer, other), {self.customer.id: 1}
        )
        self.assertIs(self._validate(self._create_sale_delivery(1)), True)


@tagged("post_install", "-at_install")
class TestCrisisSignalRpc(CreditPolicyDeliveryMixin, HttpCase):
    """What a salesperson can do over JSON-RPC, as a script would: record a
    signal of his customer, never a scan signal, a level or its author."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_rpc_salesperson_records_but_never_forges(self):
        self.customer.user_id = self.salesman
        self.authenticate(self.salesman.login, self.salesman.login)
        context = {"default_source": "scan", "default_user_id": self.manager.id}
        signal_id = self._call(
            "credit.policy.crisis.signal",
            "create",
            [{"partner_id": self.customer.id, "kind": "salary_arrears", "description": "Staff unpaid since May"}],
            {"context": context},
        )
        signal = self.env["credit.policy.crisis.signal"].browse(signal_id)
        self.assertRecordValues(signal, [{"source": "user", "user_id": self.salesman.id}])
        refused = [
            ("credit.policy.crisis.signal", "create",
             [{"partner_id": self.customer.id, "kind": "missed_payments", "description": "x"}]),
            ("credit.policy.crisis.signal", "write", [[signal_id], {"active": False}]),
            ("credit.policy.crisis.level", "create", [{"partner_id": self.customer.id, "company_id": self.company.id}]),
            ("credit.policy.crisis.level", "search_read", [[]]),
            ("res.partner", "action_credit_crisis_prepare_litigation", [[self.customer.id]]),
        ]
        for model, method, args in refused:
            with self.subTest(method=method, model=model), self.assertRaises(JsonRpcException), mute_logger(
                "odoo.http"
            ):
                self._call(model, method, args)
        level = _levels(self.env, self.customer, self.company)
        self.assertEqual(level, {self.customer.id: 1})
