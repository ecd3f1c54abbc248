from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import DunningCommon

CONTROLLER = "credit_policy.group_credit_policy_controller"


@tagged("post_install", "-at_install")
class TestDunningPhoneCallAssignee(DunningCommon):
    """The phone call of the first stage goes to a person who sees it. The
    scheduled run works as OdooBot, whom nobody reads: a customer without a
    salesperson of the company is phoned by a Credit Controller, and with
    nobody to phone the action waits, saying why, instead of being recorded
    as done."""

    def setUp(self):
        super().setUp()
        self.company.write({"credit_dunning_cron_mode": "execute", "credit_dunning_batch_size": 10})
        self.Run = self.env["credit.policy.dunning.run"].with_user(self.env.ref("base.user_root")).sudo()
        self._overdue_invoice(self.customer, 150.0, 3)

    def _scheduled_run(self):
        self.Run._cron_run_dunning()
        return self.Run.search([("company_id", "=", self.company.id)])

    def _assert_phoned_by_a_controller(self, run):
        line = self._line(run)
        self.assertEqual(line.state, "done")
        caller = line.activity_id.user_id
        self.assertNotEqual(caller, self.env.ref("base.user_root"), "never OdooBot")
        self.assertTrue(caller.active)
        self.assertTrue(caller.has_group(CONTROLLER))
        self.assertIn(self.company, caller.company_ids)
        self.assertIn(caller.name, line.result)
        return caller

    def test_customer_without_salesperson(self):
        self.customer.user_id = False
        self._assert_phoned_by_a_controller(self._scheduled_run())
        self.assertEqual(self._stage(), self.stages[1])

    def test_salesperson_archived(self):
        self.salesperson.active = False
        self._assert_phoned_by_a_controller(self._scheduled_run())

    def test_salesperson_of_another_company(self):
        elsewhere = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.customer.user_id = new_test_user(
            self.env,
            "dun_sales_elsewhere",
            groups="sales_team.group_sale_salesman",
            company_id=elsewhere.id,
            company_ids=[Command.set(elsewhere.ids)],
        )
        self._assert_phoned_by_a_controller(self._scheduled_run())

    def test_nobody_to_phone_leaves_the_action_waiting(self):
        self.customer.user_id = False
        group = self.env.ref(CONTROLLER)
        for role in (self.env.ref("credit_policy.group_credit_policy_manager"), group):
            role.users = [Command.clear()]
        self.assertFalse(self.env["res.users"].search([("groups_id", "in", group.id)]))
        run = self._scheduled_run()
        line = self._line(run)
        self.assertEqual(line.state, "proposed")
        self.assertFalse(line.activity_id)
        self.assertIn("no active Credit Controller", line.result)
        self.assertFalse(self._stage(), "the stage is not recorded as done")
        self.assertEqual(run.state, "draft")
        self.assertIn(
            "no later dunning run of the company starts",
            run.message_ids[:1].body,
            "the open run says it holds the company's dunning up",
        )
        # Nothing else to do: the scheduler is not called again for it.
        self.assertEqual(run._execute_lines(limit=10), (1, 0))
        # A controller confirms the run once a salesperson is assigned.
        self.customer.user_id = self.salesperson
        group.users = [Command.link(self.controller.id)]
        run.with_user(self.controller).action_execute()
        self.assertEqual(line.state, "done")
        self.assertEqual(line.activity_id.user_id, self.salesperson)

    def test_the_call_reads_in_the_callers_language(self):
        """A Chinese salesperson reads the call he is asked to make in Chinese,
        whoever ran dunning: its summary and the list of invoices."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.salesperson.lang = "zh_CN"
        self.controller.lang = "en_US"
        invoice = self._receivable_line(self.env["account.move"].search([("partner_id", "=", self.customer.id)], limit=1))
        activity = self._line(self._run()).activity_id
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertIn("致电", activity.summary)
        self.assertIn(f"{invoice.move_id.name}，到期日", str(activity.note))
        self.assertNotIn(" due ", str(activity.note))
