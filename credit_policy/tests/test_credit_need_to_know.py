from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import CreditGradingCommon

CONFIDENTIAL_MODELS = (
    "credit.policy.evaluation",
    "credit.policy.evaluation.line",
    "credit.policy.red.flag",
    "credit.policy.limit.history",
)


class CreditNeedToKnowCommon(CreditGradingCommon):
    """Two salespeople with a customer each, a submitted evaluation and a red
    flag per customer, a credit change in the history, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kw = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.other_salesperson = new_test_user(cls.env, "ntk_sales2", groups="sales_team.group_sale_salesman", **kw)
        cls.warehouse_user = new_test_user(cls.env, "ntk_stock", groups="stock.group_stock_user", **kw)
        cls.officer = new_test_user(cls.env, "ntk_officer", groups="credit_policy.group_credit_policy_officer", **kw)
        cls.controller = new_test_user(
            cls.env, "ntk_controller", groups="credit_policy.group_credit_policy_controller", **kw
        )
        cls.accountant = new_test_user(cls.env, "ntk_invoice", groups="account.group_account_invoice", **kw)
        cls.portal_user = new_test_user(cls.env, "ntk_portal", groups="base.group_portal", **kw)
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "NTK Other Customer", "is_company": True, "user_id": cls.other_salesperson.id}
        )
        cls._establish_customer(cls.other_customer)
        flag_type = cls.env.ref("credit_policy.credit_policy_red_flag_type_export")
        cls.own_flag, cls.other_flag = cls.env["credit.policy.red.flag"].create(
            [
                {"partner_id": partner.id, "type_id": flag_type.id, "evidence": "Seen at the customs office"}
                for partner in (cls.customer, cls.other_customer)
            ]
        )
        cls.own_evaluation = cls._submitted(cls.customer, cls.salesperson)
        cls.other_evaluation = cls._submitted(cls.other_customer, cls.other_salesperson)
        cls.history = cls.other_customer.with_company(cls.company)._credit_policy_set_master_data(
            {"credit_on_hold": True}, reason="Cheque bounced"
        )

    @classmethod
    def _submitted(cls, partner, salesperson):
        evaluation = cls._evaluation(30, 24, 26, partner=partner, user=salesperson)
        # The red flag forces the worst grade, which grants no credit.
        evaluation.write({"proposed_limit": 0, "proposed_term_days": 0})
        evaluation.action_submit()
        return evaluation.with_user(cls.env.user)


@tagged("post_install", "-at_install")
class TestCreditNeedToKnow(CreditNeedToKnowCommon):
    def _readable(self, user, records):
        """The records of ``records`` that ``user`` finds by searching."""
        return self.env[records._name].with_user(user).search([("id", "in", records.ids)])

    def test_salesperson_sees_own_customers_case_only(self):
        evaluations = self.own_evaluation | self.other_evaluation
        self.assertEqual(self._readable(self.salesperson, evaluations), self.own_evaluation)
        self.assertEqual(
            self._readable(self.salesperson, evaluations.line_ids), self.own_evaluation.line_ids
        )
        self.assertEqual(self._readable(self.salesperson, self.own_flag | self.other_flag), self.own_flag)
        for record in (self.other_evaluation, self.other_evaluation.line_ids[:1], self.other_flag):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.salesperson).read(["display_name"])
        with self.assertRaises(AccessError):
            self.history.with_user(self.salesperson).read(["reason"])
        self.own_evaluation.with_user(self.salesperson).read(["total_score", "grade_id", "red_flag_ids"])
        self.own_evaluation.line_ids.with_user(self.salesperson).read(["points", "note"])
        self.own_flag.with_user(self.salesperson).read(["evidence"])

    def test_salesperson_sees_what_he_proposes(self):
        customer = self.env["res.partner"].create({"name": "NTK Unassigned Customer", "is_company": True})
        proposal = self._evaluation(20, 18, 22, partner=customer, user=self.other_salesperson)
        self.assertEqual(proposal.user_id, self.other_salesperson)
        self.assertEqual(self._readable(self.other_salesperson, proposal), proposal)
        self.assertFalse(self._readable(self.salesperson, proposal))
        with self.assertRaises(AccessError):
            proposal.with_user(self.salesperson).write({"reason": "Mine now"})
        # Proposing for another's customer does not open that customer's red
        # flags: the form loads, without them.
        foreign = self._evaluation(20, 18, 22, partner=self.customer, user=self.other_salesperson)
        self.assertEqual(foreign.red_flag_ids, self.own_flag)
        self.env.invalidate_all()
        self.assertFalse(foreign.with_user(self.other_salesperson).red_flag_ids)
        self._load_form(self.other_salesperson, foreign)

    def test_warehouse_user_sees_no_credit_case(self):
        for model in CONFIDENTIAL_MODELS:
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.warehouse_user).has_access("read"))
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.warehouse_user).search([])
        # What operations need stays readable.
        customer = self.customer.with_user(self.warehouse_user).with_company(self.company)
        customer.read(["credit_grade_id", "credit_available", "credit_status", "credit_on_hold"])

    def test_credit_department_reads_everything_officer_writes_nothing(self):
        for user in (self.officer, self.controller, self.credit_manager):
            for records in (
                self.own_evaluation | self.other_evaluation,
                (self.own_evaluation | self.other_evaluation).line_ids,
                self.own_flag | self.other_flag,
                self.history,
            ):
                with self.subTest(user=user.login, model=records._name):
                    self.assertEqual(self._readable(user, records), records)
        for model in CONFIDENTIAL_MODELS:
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.officer).has_access("write"))
                self.assertFalse(self.env[model].with_user(self.officer).has_access("create"))
        with self.assertRaises(AccessError):
            self.other_flag.with_user(self.officer).write({"active": False})
        self.other_flag.with_user(self.controller).write({"active": False})

    def test_approvers_read_the_chains_they_review(self):
        draft = self._evaluation(20, 18, 22, partner=self.other_customer, user=self.other_salesperson)
        submitted = self.own_evaluation | self.other_evaluation
        for approver in (self.regional_manager, self.sales_manager, self.finance):
            with self.subTest(approver=approver.login):
                self.assertEqual(self._readable(approver, submitted | draft), submitted)
                self.assertEqual(self._readable(approver, (submitted | draft).line_ids), submitted.line_ids)
                self.assertEqual(self._readable(approver, self.own_flag | self.other_flag), self.own_flag | self.other_flag)
                self.assertFalse(self.env["credit.policy.limit.history"].with_user(approver).has_access("read"))
        # The general manager grants special approvals on drafts: he reads all.
        self.assertEqual(self._readable(self.general_manager, submitted | draft), submitted | draft)
        self.assertFalse(self.env["credit.policy.limit.history"].with_user(self.general_manager).has_access("read"))
        with self.assertRaises(AccessError):
            self.own_evaluation.with_user(self.regional_manager).check_access("write")

    def test_accountant_and_portal_see_no_credit(self):
        for user in (self.accountant, self.portal_user):
            for model in CONFIDENTIAL_MODELS + ("credit.policy.temporary.limit", "credit.policy.release"):
                with self.subTest(user=user.login, model=model):
                    self.assertFalse(self.env[model].with_user(user).has_access("read"))

    def test_credit_reviews_need_to_know(self):
        reviews = self.own_evaluation.review_ids
        self.assertTrue(reviews)
        every = (self.own_evaluation | self.other_evaluation).review_ids
        # The requester and every reviewer of the chain read all its steps
        # (the library checks the sequence on what the reviewer reads).
        # So do the customer's salesperson and the general manager, who read
        # the evaluation itself.
        for user in (self.salesperson, self.regional_manager, self.finance, self.general_manager):
            with self.subTest(user=user.login):
                self.assertEqual(self._readable(user, reviews), reviews)
        self.assertEqual(self._readable(self.officer, every), every)
        for user in (self.other_salesperson, self.warehouse_user, self.accountant):
            with self.subTest(user=user.login):
                self.assertFalse(self._readable(user, reviews))
                with self.assertRaises(AccessError):
                    reviews[:1].with_user(user).read(["comment"])
        self.assertFalse(self._readable(self.portal_user, every))
        with self.assertRaises(AccessError):
            reviews[:1].with_user(self.portal_user).read(["comment"])

    def test_other_documents_reviews_unchanged_for_internal_users(self):
        other = self.env["tier.review"].create({"model": "res.partner", "res_id": self.customer.id})
        for user in (self.warehouse_user, self.other_salesperson):
            with self.subTest(user=user.login):
                self.assertEqual(self._readable(user, other), other)

    def test_chain_still_runs_in_order_with_need_to_know(self):
        evaluation = self.own_evaluation
        self._validate_as(evaluation, self.finance)
        self.assertFalse(evaluation.review_ids.filtered(lambda r: r.status == "approved"), "finance waits its turn")
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user, f"Agreed by {user.login}")
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(
            self._readable(self.salesperson, evaluation.review_ids).mapped("comment"),
            evaluation.review_ids.sorted("sequence").mapped("comment"),
            "the requester reads the opinions on his application",
        )

    def test_forms_load_and_read_for_each_role(self):
        """What the client loads on the forms a role opens: no AccessError."""
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": self.salesperson.id, "order_line": [
                Command.create({"product_id": self.env["product.product"].create({"name": "NTK Widget"}).id})
            ]}
        )
        order.action_confirm()
        picking = order.picking_ids
        cases = [
            (self.salesperson, self.customer),
            (self.salesperson, order),
            (self.salesperson, self.own_evaluation),
            (self.warehouse_user, self.customer),
            (self.warehouse_user, picking),
            (self.regional_manager, self.own_evaluation),
            (self.regional_manager, self.customer),
            (self.officer, self.own_evaluation),
            (self.officer, self.other_customer),
        ]
        for user, record in cases:
            with self.subTest(user=user.login, model=record._name):
                self._load_form(user, record)

    def _load_form(self, user, record):
        model = self.env[record._name].with_user(user).with_company(self.company)
        view = model.get_view(view_type="form")
        # The fields of the form itself, as the client reads them (x2many
        # lines with their display name).
        names = set(etree.fromstring(view["arch"]).xpath("//field[not(ancestor::field)]/@name"))
        spec = {
            name: ({"fields": {"display_name": {}}} if model._fields[name].relational else {}) for name in names
        }
        model.browse(record.id).web_read(spec)
        return view


@tagged("post_install", "-at_install")
class TestCreditNeedToKnowRpc(CreditNeedToKnowCommon, HttpCase):
    """The same need-to-know through the JSON-RPC dispatcher, as a script."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_reads_no_credit_over_rpc(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        credit_models = ["credit.policy.evaluation", "credit.policy.temporary.limit"]
        found = self._call(
            "tier.review", "search_read", [[("model", "in", credit_models)]], {"fields": ["comment", "status"]}
        )
        self.assertEqual(found, [])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("tier.review", "read", [self.own_evaluation.review_ids[:1].ids, ["comment"]])
        for model in CONFIDENTIAL_MODELS:
            with self.subTest(model=model), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(model, "search_read", [[]], {"fields": ["display_name"]})

    def test_salesperson_reads_own_customers_over_rpc(self):
        self.authenticate(self.salesperson.login, self.salesperson.login)
        found = self._call("credit.policy.evaluation", "search_read", [[]], {"fields": ["partner_id", "total_score"]})
        own = self.env["credit.policy.evaluation"].search([("partner_id", "=", self.customer.id)])
        self.assertIn(self.own_evaluation, own)
        self.assertEqual({row["id"] for row in found}, set(own.ids))
        flags = self._call("credit.policy.red.flag", "search_read", [[]], {"fields": ["evidence"]})
        self.assertEqual({row["id"] for row in flags}, set(self.own_flag.ids))
        refused = [
            ("credit.policy.evaluation", "read", [self.other_evaluation.ids, ["total_score"]]),
            ("credit.policy.evaluation.line", "read", [self.other_evaluation.line_ids.ids, ["points"]]),
            ("credit.policy.red.flag", "read", [self.other_flag.ids, ["evidence"]]),
            ("credit.policy.limit.history", "search_read", [[]]),
            ("tier.review", "read", [self.other_evaluation.review_ids.ids, ["comment"]]),
            ("res.partner", "read", [self.other_customer.ids, ["credit_history_ids"]]),
        ]
        for model, method, args in refused:
            with self.subTest(model=model, method=method), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(model, method, args)
        # The reviews of the other customer's chain are simply not there.
        reviews = self._call(
            "tier.review", "search_read", [[("res_id", "=", self.other_evaluation.id)]], {"fields": ["comment"]}
        )
        self.assertEqual(reviews, [])
