from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from odoo.addons.credit_policy.tests.test_credit_workflow_forgery import RpcMixin

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRunForgery(RpcMixin, DunningCommon, HttpCase):
    """A Credit Controller runs dunning through the run's own path only: he
    cannot create a run by hand, nor rewrite what a run or an action is
    about (its date, company, ladder, customers, salesperson)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Dunning Elsewhere Ltd"})
        cls.controller.company_ids += cls.other_company
        cls.other_salesperson = new_test_user(
            cls.env, "dun_sales_2", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )

    def test_a_run_cannot_be_created_by_hand(self):
        Run = self.env["credit.policy.dunning.run"]
        for vals in ({"date": "2099-12-31", "company_id": self.company.id}, {"company_id": self.company.id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.controller, Run._name, "create", [vals])
        self.assertFalse(Run.sudo().search([("company_id", "=", self.company.id)]))
        # The run's own path still works, and later runs are not blocked.
        self._overdue_invoice(self.customer, 500.0, 20)
        run = self._run()
        self.assertEqual(run.state, "done")

    def test_a_runs_date_company_ladder_and_customers_cannot_be_rewritten(self):
        self._overdue_invoice(self.customer, 500.0, 20)
        run = self._run()
        other_ladder = self.ladder.copy({"name": "Copy of the ladder", "is_default": False})
        forged = [
            {"date": "2099-12-31"},
            {"company_id": self.other_company.id},
            {"ladder_id": other_ladder.id},
            {"partner_ids": [Command.set(self.customer.ids)]},
        ]
        for vals in forged:
            with self.subTest(vals=vals), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.controller, run._name, "write", [run.ids, vals])
        run.invalidate_recordset()
        self.assertRecordValues(
            run, [{"date": self.today, "company_id": self.company.id, "ladder_id": False, "partner_ids": []}]
        )
        self.assertEqual(run.letter_count, len(run.line_ids.letter_attachment_id))

    def test_an_actions_company_date_and_salesperson_cannot_be_rewritten(self):
        self._overdue_invoice(self.customer, 500.0, 20)
        line = self._prepare().line_ids
        forged = [
            {"user_id": self.other_salesperson.id},
            {"company_id": self.other_company.id},
            {"date": "2099-12-31"},
        ]
        for vals in forged:
            with self.subTest(vals=vals), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.controller, line._name, "write", [line.ids, vals])
        line.invalidate_recordset()
        self.assertRecordValues(
            line, [{"user_id": self.salesperson.id, "company_id": self.company.id, "date": self.today}]
        )
        self.assertFalse(
            self.env["credit.policy.dunning.line"].with_user(self.other_salesperson).search([("id", "=", line.id)]),
            "no read access was handed to another salesperson",
        )
        # The note stays the controller's to write.
        self._call(self.controller, line._name, "write", [line.ids, {"note": "Called, pays Friday"}])
        self.assertEqual(line.note, "Called, pays Friday")

    def test_personal_defaults_do_not_fill_what_a_run_proposes(self):
        """A Credit Controller's own ``ir.default`` does not make the actions a
        run proposes look carried out (no letter sent, yet recorded as sent,
        counted as letters received and never proposed again), nor write the
        run's summary or its company."""
        self._overdue_invoice(self.customer, 500.0, 20)
        forged = [
            ("credit.policy.dunning.line", "state", "done"),
            ("credit.policy.dunning.line", "result", "Letter emailed."),
            ("credit.policy.dunning.line", "done_by_id", self.other_salesperson.id),
            ("credit.policy.dunning.line", "company_id", self.other_company.id),
            ("credit.policy.dunning.line", "user_id", self.other_salesperson.id),
            ("credit.policy.dunning.run", "summary", "All letters sent"),
            ("credit.policy.dunning.run", "executed_by_id", self.other_salesperson.id),
        ]
        for model, field, value in forged:
            self._set_personal_default(self.controller, model, field, value)
        wizard_id = self._call(
            self.controller, "credit.policy.dunning.wizard", "create", [{"company_id": self.company.id}]
        )
        self._call(self.controller, "credit.policy.dunning.wizard", "action_preview", [[wizard_id]])
        run = self.env["credit.policy.dunning.wizard"].browse(wizard_id).run_id
        self.assertRecordValues(run, [{"state": "draft", "summary": False, "executed_by_id": False}])
        self.assertRecordValues(
            run.line_ids,
            [
                {
                    "partner_id": self.customer.id,
                    "state": "proposed",
                    "result": False,
                    "done_by_id": False,
                    "company_id": self.company.id,
                    "user_id": self.salesperson.id,
                }
            ],
        )
