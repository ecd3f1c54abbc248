import threading
import time
from contextlib import closing
from datetime import timedelta

from lxml import etree

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.service.model import retrying
from odoo.tests import JsonRpcException, TransactionCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def neutralise_total_credit_cap(env):
    """No company-wide cap on total credit (授信总额控制) for the class.

    The demo data caps the main company's total credit, and the tests run in
    the main company beside the demo customers: a test that is not about the
    cap must not depend on how much credit the demo grants. Every base class
    calls this in setUpClass; the tests of the cap set their own."""
    env["res.company"].sudo().search([("credit_total_limit_cap", "!=", 0)]).credit_total_limit_cap = 0.0


#: The addons whose Chinese a credit user reads (base_tier_validation's comes
#: from credit_policy/i18n_extra).
CHINESE_ADDONS = ("base_tier_validation", "credit_policy", "credit_policy_dunning", "credit_policy_archive")


#: A customer's key data complete (res.company.credit_key_data_ids by
#: default): he is graded on his scores, not capped like a new customer.
COMPLETE_KEY_DATA = {
    "street": "1 Credit Street",
    "city": "Shanghai",
    "vat": "91310000MA1FL0TEST",
    "phone": "+86 21 5555 0000",
    "email": "buyer@customer.example.com",
}


def complete_key_data(env):
    """COMPLETE_KEY_DATA with the country."""
    return {**COMPLETE_KEY_DATA, "country_id": env.ref("base.cn").id}


def create_branch(env, company, name):
    """A branch of ``company`` named ``name``, with its chart of accounts, in
    the current user's companies."""
    company.write({"child_ids": [Command.create({"name": name})]})
    env.cr.precommit.run()  # load the chart of accounts of the branch
    branch = company.child_ids.filtered(lambda child: child.name == name)
    env.user.company_ids |= branch
    return branch


def use_chinese(env, *users):
    """Make ``users`` read the interface in Chinese (zh_CN), as the demo's
    users do; loads the product's Chinese if the database has not got it."""
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", "zh_CN")])
    menu = env.ref("credit_policy.credit_policy_menu_root").with_context(lang="zh_CN")
    if not lang.active or menu.name != "信用":
        env["res.lang"]._activate_lang("zh_CN")
        installed = env["ir.module.module"].search(
            [("name", "in", CHINESE_ADDONS), ("state", "=", "installed")]
        )
        env["ir.module.module"]._load_module_terms(installed.mapped("name"), ["zh_CN"], overwrite=True)
    for user in users:
        user.lang = "zh_CN"
    return users


def return_goods(picking, quantity):
    """Return ``quantity`` of the goods ``picking`` delivered, validated."""
    wizard = (
        picking.env["stock.return.picking"]
        .with_context(active_id=picking.id, active_model="stock.picking")
        .create({})
    )
    wizard.product_return_moves.quantity = quantity
    returned = picking.browse(wizard.action_create_returns()["res_id"])
    returned.move_ids.quantity = quantity
    returned.move_ids.picked = True
    returned.button_validate()
    return returned


class RpcMixin:
    """Calls through the real JSON-RPC dispatcher, as a script would (mix into
    an ``HttpCase``)."""

    def _call(self, user, model, method, args, kwargs=None):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _set_personal_default(self, user, model, field, value):
        """The user's own ``ir.default``, as the web client's "Set Default" does."""
        self._call(user, "ir.default", "set", [model, field, value], {"user_id": True})


def form_button_invisible(records, user, button):
    """The ``invisible`` expressions of the buttons named ``button`` on the
    form of ``records``' model as the web client gets it for ``user``
    (get_views: inherited views, groups and injected buttons applied);
    an empty list when the user gets no such button."""
    views = records.with_user(user).get_views([(False, "form")])
    arch = etree.fromstring(views["views"]["form"]["arch"])
    return [node.get("invisible", "") for node in arch.xpath(f"//button[@name='{button}']")]


class ButtonAssertions:
    """A button is shown to whom the server lets act, and to nobody else
    (mix into an ``HttpCase`` with :class:`RpcMixin`)."""

    def _flag(self, record, user, name):
        """The computed button flag ``name`` of ``record`` as ``user`` reads it now."""
        record = record.with_user(user)
        record.invalidate_recordset()
        return record[name]

    def assertFlag(self, record, name, allowed=(), refused=()):
        for user in allowed:
            with self.subTest(flag=name, user=user.login):
                self.assertTrue(self._flag(record, user, name), f"{user.login} may: {name} shows")
        for user in refused:
            with self.subTest(flag=name, user=user.login):
                self.assertFalse(self._flag(record, user, name), f"{user.login} may not: {name} hides")

    def assertButtonHiddenBy(self, record, user, button, flag):
        """The form ``user`` gets has ``button``, hidden when ``flag`` is false."""
        expressions = form_button_invisible(record, user, button)
        self.assertTrue(expressions, f"{button} is on the form of {user.login}")
        for expression in expressions:
            self.assertIn(f"not {flag}", expression, button)

    def assertRpcRefused(self, user, record, method, args=None, kwargs=None, message=None):
        """``user``'s call through the JSON-RPC dispatcher is refused with an
        AccessError (whose ``message`` the server logs)."""
        args = args if args is not None else [record.ids]
        with self.assertLogs("odoo.http", "WARNING") as logs, self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(user, record._name, method, args, kwargs)
        if message:
            self.assertIn(message, "\n".join(logs.output))


class CreditExposureCommon(AccountTestInvoicingCommon):
    """A company with a credit policy, a customer, a storable product without tax."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        neutralise_total_credit_cap(cls.env)
        # The accounting test user sets customers' limits: a Credit Manager's right.
        cls.env.user.groups_id += cls.env.ref("credit_policy.group_credit_policy_manager")
        # Credit data changes with a reason, as Change Credit gives it.
        cls.env = cls.env(context=dict(cls.env.context, credit_policy_reason="Test fixture"))
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.company.write(
            {
                "credit_check_mode": "off",
                "credit_warn_percent": 80.0,
                "credit_alert_percent": 90.0,
                "credit_exposure_horizon_days": 30,
                "credit_include_draft_invoices": False,
                "credit_repayment_plan_days": 7,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Credit Widget",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "delivery",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls._credit_customer("Credit Customer", 1000.0)
        cls.eur = cls.setup_other_currency("EUR")  # 1 company currency = 2 EUR today

    @classmethod
    def _credit_customer(cls, name, limit=0.0, company=None):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        partner.with_company(company or cls.company).credit_limit = limit
        return partner

    def _member(self, name="Member", limit=0.0):
        """A customer in the credit group headed by the common customer."""
        member = self._credit_customer(name, limit)
        member.credit_group_head_id = self.customer
        return member

    def _order(self, partner, qty, price=100.0, days=1, company=None, pricelist=None, confirm=True):
        company = company or self.company
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "commitment_date": fields.Datetime.now() + timedelta(days=days),
                    "pricelist_id": pricelist.id if pricelist else False,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    def _deliver(self, order, qty):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        return picking

    def _overdue_invoice(self, amount, days_overdue, partner=None):
        """A posted invoice of ``amount`` without taxes, due ``days_overdue``
        days ago (0: today)."""
        due = fields.Date.today() - timedelta(days=days_overdue)
        invoice = self.init_invoice(
            "out_invoice", partner=partner or self.customer, invoice_date=due,
            amounts=[amount], taxes=self.env["account.tax"],
        )
        invoice.invoice_date_due = due
        invoice.action_post()
        return invoice

    def _invoice(self, order, post=True):
        invoice = order._create_invoices()
        if post:
            invoice.action_post()
        return invoice

    def _pay(self, invoice, amount):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": fields.Date.today()})
            ._create_payments()
        )

    def _payment_on_account(self, amount):
        """A customer payment registered without matching any invoice."""
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": amount,
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        return payment

    def _prepayment_grade(self, prepayment_percent):
        """A grade requiring ``prepayment_percent`` before delivery, with room
        for the common customer's limit (the grade's bounds are checked)."""
        table = self.env["credit.policy.grade.table"].sudo().create(
            {"name": "Prepayment", "company_id": self.company.id}
        )
        return self.env["credit.policy.grade"].sudo().create(
            {
                "table_id": table.id,
                "code": "P",
                "name": "Prepay",
                "prepayment_percent": prepayment_percent,
                "max_limit": 10000.0,
                "max_term_days": 30,
            }
        )

    def _down_payment_invoice(self, order, amount):
        """Invoice and post a fixed down payment of ``order``."""
        wizard = self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "fixed", "fixed_amount": amount})
        wizard.create_invoices()
        invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
        invoice.action_post()
        return invoice

    def _paid_down_payment(self, order, amount):
        """Invoice, post and pay a fixed down payment of ``order``."""
        invoice = self._down_payment_invoice(order, amount)
        self._pay(invoice, amount)
        return invoice

    def _exposure(self, partner, company=None):
        company = company or self.company
        return self.env["credit.policy.check"]._get_partner_exposure(partner, company)[partner.id]

    def _figures(self, partner, company=None):
        company = company or self.company
        check = self.env["credit.policy.check"]
        account = check._get_credit_account(partner)
        return check._get_credit_figures(account, company)[account.id]

    def _run_precommit(self):
        """Run the refresh the event hooks scheduled for the commit."""
        self.env.cr.flush()


class CreditPolicyDeliveryMixin:
    """A customer with a credit limit of 1,000, a storable product sold at 100
    with plenty of stock, and one user per role of the delivery block."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        neutralise_total_credit_cap(cls.env)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "credit_check_mode": "off",
                "credit_exposure_horizon_days": 30,
                "credit_include_draft_invoices": False,
                "credit_max_overdue_percent": 0.0,
                "credit_max_overdue_days": 0,
                "credit_no_limit_mode": "unrestricted",
                "credit_release_manager_amount": 0.0,
                "credit_release_tolerance_percent": 5.0,
                "credit_release_validity_days": 7,
            }
        )
        cls.warehouse_user = new_test_user(cls.env, "cp_dlv_stock", groups="stock.group_stock_user")
        cls.salesman = new_test_user(
            cls.env, "cp_dlv_sales", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )
        cls.controller = new_test_user(
            cls.env, "cp_dlv_controller", groups="credit_policy.group_credit_policy_controller"
        )
        cls.manager = new_test_user(cls.env, "cp_dlv_manager", groups="credit_policy.group_credit_policy_manager")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Delivery Block Customer Ltd", "is_company": True, "credit_limit": 1000.0}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Warehouse Contact", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Credit Block Widget", "is_storable": True, "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.stock_location = cls.env.ref("stock.stock_location_stock")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock_location, 1000.0)
        cls.picking_type_out = cls.env.ref("stock.picking_type_out")
        cls.picking_type_in = cls.env.ref("stock.picking_type_in")

    @classmethod
    def _create_delivery(cls, qty, partner=None, picking_type=None, source=None, destination=None):
        """A ready delivery of ``qty`` widgets, without a sale order."""
        picking_type = picking_type or cls.picking_type_out
        source = source or cls.stock_location
        destination = destination or cls.customer_location
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": (partner or cls.contact).id,
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    @classmethod
    def _create_sale_delivery(cls, qty, price=100.0, due_in_days=0):
        """Confirm a sale order of ``qty`` widgets due in ``due_in_days`` and
        return its delivery."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=due_in_days),
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": qty, "price_unit": price, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        return order.picking_ids

    def _validate(self, picking, user=None):
        return picking.with_user(user or self.warehouse_user).button_validate()

    def _assert_prompt(self, action):
        self.assertIsInstance(action, dict, "validation returns the credit block prompt")
        self.assertEqual(action.get("res_model"), "credit.policy.delivery.block.wizard")
        return self.env["credit.policy.delivery.block.wizard"].browse(action["res_id"])

    def _release(self, picking, user=None, reason="Customer paid in advance by wire transfer."):
        """Release the open request of ``picking`` through the release wizard."""
        release = picking.credit_release_ids.filtered(lambda r: r.state in ("blocked", "requested"))
        user = user or self.controller
        action = release.with_user(user).action_open_release_wizard()
        wizard = (
            self.env["credit.policy.release.wizard"]
            .with_user(user)
            .with_context(action["context"])
            .create({"reason": reason})
        )
        wizard.action_confirm()
        return release


class ShipWithoutOrderMixin:
    """Goods shipped to :class:`CreditPolicyDeliveryMixin`'s customer by a
    delivery of no sale order, and the customer's exposure."""

    def _exposure(self):
        return self.env["credit.policy.check"]._get_partner_exposure(self.customer, self.company)[self.customer.id]

    def _ship(self, qty):
        picking = self._create_delivery(qty)
        self.assertIs(self._validate(picking), True)
        self.assertEqual(picking.state, "done")
        return picking


class CreditPolicyDeliveryCase(CreditPolicyDeliveryMixin, TransactionCase):
    pass


class CreditGradingCommon(TransactionCase):
    """Five-level table of the main company, the approval roles and a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        neutralise_total_credit_cap(cls.env)
        cls.company = cls.env.ref("base.main_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.table = cls.env.ref("credit_policy.credit_policy_grade_table_five")
        cls.company.credit_grade_table_id = cls.table
        cls.grade = {
            code: cls.env.ref(f"credit_policy.credit_policy_grade_five_{code.lower()}")
            for code in ("AAA", "AA", "A", "B", "C")
        }
        cls.criteria = {
            code: cls.env.ref(f"credit_policy.credit_policy_criterion_{code.lower()}")
            for code in ("REPAY", "PURCHASE", "FINANCE", "BUSINESS", "YEARS", "CAPITAL", "STAFF", "PRODUCT")
        }
        cls.salesperson = new_test_user(cls.env, "cpg_sales", groups="sales_team.group_sale_salesman,base.group_partner_manager")
        cls.regional_manager = new_test_user(
            cls.env, "cpg_rm", groups="base.group_user,credit_policy.group_credit_policy_regional_manager"
        )
        cls.sales_manager = new_test_user(cls.env, "cpg_sm", groups="sales_team.group_sale_manager")
        cls.finance = new_test_user(cls.env, "cpg_fin", groups="account.group_account_manager")
        cls.general_manager = new_test_user(
            cls.env, "cpg_gm", groups="base.group_user,credit_policy.group_credit_policy_general_manager"
        )
        cls.credit_manager = new_test_user(
            cls.env, "cpg_cm", groups="base.group_user,base.group_partner_manager,credit_policy.group_credit_policy_manager"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "CPG Customer", "is_company": True, "user_id": cls.salesperson.id, **complete_key_data(cls.env)}
        )
        cls._establish_customer(cls.customer)

    @classmethod
    def _establish_customer(cls, partner):
        """An earlier approved evaluation: the customer is no longer new."""
        cls.env["credit.policy.evaluation"].sudo().create(
            {"partner_id": partner.id, "kind": "review", "state": "approved", "line_ids": []}
        )

    @classmethod
    def _lines(cls, repayment, purchase, others):
        """Scoring lines: repayment and purchase points, ``others`` spread over
        the other criteria up to their maxima."""
        lines = [
            Command.create({"criterion_id": cls.criteria["REPAY"].id, "points": repayment}),
            Command.create({"criterion_id": cls.criteria["PURCHASE"].id, "points": purchase}),
        ]
        for code in ("FINANCE", "BUSINESS", "YEARS", "CAPITAL", "STAFF", "PRODUCT"):
            points = min(others, cls.criteria[code].max_points)
            others -= points
            lines.append(Command.create({"criterion_id": cls.criteria[code].id, "points": points}))
        assert not others, "more points than the sheet holds"
        return lines

    @classmethod
    def _evaluation(cls, repayment, purchase, others, partner=None, user=None, **vals):
        model = cls.env["credit.policy.evaluation"]
        if user:
            model = model.with_user(user)
        return model.create(
            {
                "partner_id": (partner or cls.customer).id,
                "kind": "review",
                "line_ids": cls._lines(repayment, purchase, others),
                **vals,
            }
        )

    def _submitted_three_step_evaluation(self):
        """The salesperson's evaluation of the customer at 1,200, submitted: for
        a customer whose limit is 1,000, within the step cap (+20 %), a chain
        of three steps."""
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson, proposed_limit=1200)
        evaluation.with_user(self.salesperson).action_submit()
        return evaluation

    def _validate_as(self, evaluation, user, comment="Agreed"):
        """One reviewer's step: validate, answering the opinion wizard."""
        evaluation = evaluation.with_user(user)
        action = evaluation.validate_tier()
        if action:
            wizard = (
                self.env["comment.wizard"]
                .with_user(user)
                .with_context(action["context"])
                .create({"comment": comment})
            )
            wizard.add_comment()
        evaluation.invalidate_recordset()


class CreditThreeGradesCommon(CreditGradingCommon):
    """:class:`CreditGradingCommon` with the company on the A/B/C table,
    whose grade A has prerequisites (POLICY.md §1, seed 002)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_grade_table_id = cls.env.ref("credit_policy.credit_policy_grade_table_three")
        cls.grade_a = cls.env.ref("credit_policy.credit_policy_grade_three_a")
        cls.grade_b = cls.env.ref("credit_policy.credit_policy_grade_three_b")

    @classmethod
    def _months_ago(cls, months):
        """The date ``months`` months before the evaluation's today (the
        evaluator's calendar, which UTC's may be a day ahead of): grade A's
        months of cooperation and years without bad debt count from it."""
        return fields.Date.subtract(fields.Date.context_today(cls.env["credit.policy.evaluation"]), months=months)


class ConcurrentTransactionMixin:
    """Two real transactions racing for the same credit account: the caller's
    and a second one run in a thread, as a second user's request would."""

    @staticmethod
    def _delete_mail_of(cr, records):
        """Delete, in committed cursor ``cr``, what mail and tier validation
        attached to the records ``records`` (``[(model, ids)]``) the racing
        transactions committed: activities, followers, messages, reviews."""
        for model, ids in records:
            for table, model_column in (
                ("mail_activity", "res_model"),
                ("mail_followers", "res_model"),
                ("mail_message", "model"),
                ("tier_review", "model"),
            ):
                cr.execute(f"DELETE FROM {table} WHERE {model_column} = %s AND res_id = ANY(%s)", [model, ids])

    def _backend_waits_for_lock(self, pid):
        with closing(self.registry.cursor()) as cr:
            cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cr.fetchone()
            return bool(row) and row[0] == "Lock"

    def _start_waiting_transaction(self, work):
        """Run ``work(env)`` in a second transaction, retried on serialization
        failures as an RPC call is, and return once it waits for a lock the
        caller's open transaction holds.

        :return: ``(thread, outcome)``; once the caller's transaction has ended,
            join the thread: ``outcome["result"]`` holds what ``work`` returned
            (its transaction committed) or the error it raised (rolled back)
        """
        outcome = {}
        started = threading.Event()

        def run():
            with closing(self.registry.cursor()) as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cr.fetchone()[0]
                started.set()
                try:
                    outcome["result"] = retrying(lambda: work(env), env)
                    cr.commit()
                except Exception as error:  # noqa: BLE001 - the test asserts on it
                    cr.rollback()
                    outcome["result"] = error

        thread = threading.Thread(target=run)
        thread.start()
        started.wait()
        deadline = time.monotonic() + 120
        while not self._backend_waits_for_lock(outcome["pid"]):
            self.assertTrue(thread.is_alive(), f"the second transaction did not wait: {outcome.get('result')!r}")
            self.assertLess(time.monotonic(), deadline, "the second transaction never waited for the lock")
            time.sleep(0.05)
        self.assertNotIn("result", outcome)
        return thread, outcome
