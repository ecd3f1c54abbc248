from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningAccess(DunningCommon):
    """Only Credit Controllers run dunning; nobody forges its records."""

    def test_only_credit_controllers_run_dunning(self):
        self._overdue_invoice(self.customer, 500.0, 20)
        for user in (self.salesperson, self.warehouse_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._prepare(user=user)
        run = self._prepare()
        for user in (self.salesperson, self.warehouse_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                run.with_user(user).action_execute()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                run.line_ids.with_user(user).action_exclude()
        self.assertEqual(run.line_ids.state, "proposed")

    def test_run_and_line_decisions_cannot_be_forged(self):
        self._overdue_invoice(self.customer, 500.0, 20)
        run = self._prepare()
        line = run.line_ids
        controller_line = line.with_user(self.controller)
        with self.assertRaises(AccessError):
            controller_line.write({"state": "done"})
        with self.assertRaises(AccessError):
            run.with_user(self.controller).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.env["credit.policy.dunning.line"].with_user(self.controller).create(
                {"run_id": run.id, "partner_id": self.customer.id, "stage_id": self.stages[6].id}
            )
        with self.assertRaises(AccessError):
            self.env["credit.policy.dunning.run"].with_user(self.controller).with_context(
                default_state="done"
            ).create({"company_id": self.company.id})
        controller_line.write({"note": "Customer called back"})
        self.assertEqual(line.state, "proposed")

    def test_customer_stage_is_moved_by_runs_only(self):
        for user in (self.salesperson, self.controller, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).with_company(self.company).write(
                    {"dunning_stage_id": self.stages[1].id}
                )
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesperson).with_company(self.company).write(
                {"dunning_promise_date": self.today, "dunning_promise_amount": 10.0}
            )
        self.salesperson.groups_id += self.env.ref("base.group_partner_manager")
        forged = (
            self.env["res.partner"]
            .with_user(self.salesperson)
            .with_company(self.company)
            .with_context(default_dunning_stage_id=self.stages[5].id)
            .create({"name": "Forged"})
        )
        self.assertFalse(forged.sudo().with_company(self.company).dunning_stage_id, "no default_* key sets it")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesperson).with_company(self.company).create(
                {"name": "Forged", "dunning_stage_id": self.stages[5].id}
            )

    def test_disputed_flag_is_set_by_credit_controllers_only(self):
        invoice = self._overdue_invoice(self.customer, 500.0, 20)
        self.salesperson.groups_id += self.env.ref("account.group_account_invoice")
        with self.assertRaises(AccessError):
            invoice.with_user(self.salesperson).write(
                {"dunning_excluded": True, "dunning_exclusion_reason": "Customer says so"}
            )
        invoice.with_user(self.controller).write(
            {"dunning_excluded": True, "dunning_exclusion_reason": "Quality claim open"}
        )
        self.assertTrue(invoice.dunning_excluded)

    def test_salespeople_read_their_customers_dunning_only(self):
        other = self._credit_customer("Someone Else's Customer")
        self._overdue_invoice(self.customer, 500.0, 3)
        self._overdue_invoice(other, 500.0, 3)
        run = self._run()
        visible = self.env["credit.policy.dunning.line"].with_user(self.salesperson).search([("run_id", "=", run.id)])
        self.assertEqual(visible.partner_id, self.customer)
        # Who judges a customer's payment record reads its whole dunning history.
        finance = new_test_user(self.env, "dun_finance", groups="account.group_account_manager")
        officer = new_test_user(self.env, "dun_officer", groups="credit_policy.group_credit_policy_officer")
        for reviewer in (finance, officer):
            lines = self.env["credit.policy.dunning.line"].with_user(reviewer).search([("run_id", "=", run.id)])
            self.assertEqual(lines.partner_id, self.customer | other, reviewer.login)
            with self.assertRaises(AccessError):
                lines[:1].write({"state": "excluded"})


@tagged("post_install", "-at_install")
class TestDunningAccessRpc(DunningCommon, HttpCase):
    """The same through the RPC dispatcher, as a script would."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw", {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        )

    def test_rpc_cannot_run_or_forge_dunning(self):
        self._overdue_invoice(self.customer, 500.0, 20)
        run = self._prepare()
        line = run.line_ids
        self.authenticate(self.salesperson.login, self.salesperson.login)
        refused = [
            ("credit.policy.dunning.run", "action_execute", [run.ids]),
            ("credit.policy.dunning.line", "action_exclude", [line.ids]),
            ("credit.policy.dunning.line", "write", [line.ids, {"state": "done"}]),
            ("credit.policy.dunning.wizard", "create", [{"company_id": self.company.id}]),
            ("res.partner", "write", [self.customer.ids, {"dunning_stage_id": self.stages[2].id}]),
        ]
        for model, method, args in refused:
            with self.subTest(method=method, model=model), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(model, method, args)
        self.authenticate(self.controller.login, self.controller.login)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("credit.policy.dunning.line", "write", [line.ids, {"state": "done"}])
        line.invalidate_recordset()
        self.assertEqual(line.state, "proposed")
