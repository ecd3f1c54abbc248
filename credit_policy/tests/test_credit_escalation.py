from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditEscalation(CreditExposureCommon):
    """80 % / 90 % escalation (seed 000): once per crossing, re-armed when usage drops."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, "esc_sales", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )
        cls.sales_manager = new_test_user(
            cls.env, "esc_manager", groups="sales_team.group_sale_manager",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Credit Team", "user_id": cls.sales_manager.id, "company_id": cls.company.id}
        )
        cls.env["crm.team.member"].create({"crm_team_id": cls.team.id, "user_id": cls.salesman.id})
        cls.customer.user_id = cls.salesman
        cls.warn_type = cls.env.ref("credit_policy.mail_activity_type_credit_warning")
        cls.plan_type = cls.env.ref("credit_policy.mail_activity_type_repayment_plan")

    def _activities(self, activity_type, user=None):
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id),
                  ("activity_type_id", "=", activity_type.id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def _status(self):
        return self.env["credit.policy.status"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )

    def test_escalates_once_per_crossing_and_rearms(self):
        order = self._order(self.customer, 8)
        self._run_precommit()
        self.assertEqual(self._status().band, "warn")
        self.assertEqual(len(self._activities(self.warn_type, self.salesman)), 1)
        self.assertFalse(self._activities(self.plan_type))
        # Recomputing without a new crossing does nothing.
        self.env["credit.policy.status"]._cron_refresh()
        self.assertEqual(len(self._activities(self.warn_type)), 1)
        # Crossing 90 %: the repayment plan, due in the configured days.
        order2 = self._order(self.customer, 1)
        self._run_precommit()
        plan = self._activities(self.plan_type, self.salesman)
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.date_deadline, fields.Date.today() + timedelta(days=7))
        self.assertEqual(self._status().repayment_activity_id, plan)
        self.assertEqual(len(self._activities(self.warn_type)), 1)
        # Dropping below 80 % re-arms; crossing again while the to-dos are
        # still open adds none (oscillating around 80 % makes no noise).
        (order | order2)._action_cancel()
        self._run_precommit()
        self.assertEqual(self._status().escalated_band, "ok")
        order3 = self._order(self.customer, 9)
        self._run_precommit()
        self.assertEqual(len(self._activities(self.warn_type)), 1)
        self.assertEqual(len(self._activities(self.plan_type)), 1)
        self.assertEqual(self._status().repayment_activity_id, plan)
        # Once they are done, the next crossing escalates again.
        (self._activities(self.warn_type) | plan).action_feedback("Customer called")
        order3._action_cancel()
        self._run_precommit()
        self._order(self.customer, 9)
        self._run_precommit()
        self.assertEqual(len(self._activities(self.warn_type)), 1)
        self.assertEqual(len(self._activities(self.plan_type)), 1)
        self.assertNotEqual(self._status().repayment_activity_id, plan)

    def test_each_company_escalates_its_own_crossing(self):
        """A customer crossing 80 % in a second company gets that company's
        warning, although the first company's is still open; each company's
        repayment plan escalates once."""
        other = self.setup_other_company()["company"]
        figures = {"usage_percent": 85.0, "exposure": 850.0, "available": 150.0}
        rows = self.env["credit.policy.status"].sudo().create(
            [{"partner_id": self.customer.id, "company_id": company.id, "band": "alert"}
             for company in (self.company, other)]
        )
        for row in rows:
            row._escalate(figures)
        self.assertEqual(len(self._activities(self.warn_type)), 2, "one per company")
        plans = self._activities(self.plan_type)
        self.assertEqual(len(plans), 2)
        self.assertEqual(set(rows.mapped("repayment_activity_id")), set(plans))
        plans.date_deadline = fields.Date.today() - timedelta(days=1)
        self.env["credit.policy.status"]._cron_escalate_repayment_plans()
        self.env["credit.policy.status"]._cron_escalate_repayment_plans()
        self.assertEqual(len(self._activities(self.plan_type)), 4, "each plan escalated once")

    def test_member_leaving_its_group_escalates_its_own_crossing(self):
        member = self._member("Leaving Member", limit=1000.0)
        self._order(member, 9)  # the group at 90 %: the head's plan
        self._run_precommit()
        plan_type = [("res_model", "=", "res.partner"), ("res_id", "=", member.id),
                     ("activity_type_id", "=", self.plan_type.id)]
        self.assertFalse(self.env["mail.activity"].search(plan_type), "the head escalates for the group")
        member._credit_policy_set_master_data({"credit_group_head_id": False}, reason="Leaves the group")
        self._run_precommit()
        self.assertEqual(len(self.env["mail.activity"].search(plan_type)), 1, "90 % of its own limit")

    def test_credit_department_notified(self):
        manager = new_test_user(
            self.env, "esc_credit", groups="credit_policy.group_credit_policy_manager",
            company_id=self.company.id, company_ids=[self.company.id],
        )
        self._order(self.customer, 8)
        self._run_precommit()
        message = self.customer.message_ids[:1]
        self.assertIn(manager.partner_id, message.partner_ids)

    def test_overdue_repayment_plan_escalates_to_sales_manager(self):
        self._order(self.customer, 9)
        self._run_precommit()
        plan = self._activities(self.plan_type, self.salesman)
        Status = self.env["credit.policy.status"]
        Status._cron_escalate_repayment_plans()
        self.assertFalse(self._activities(self.plan_type, self.sales_manager), "not overdue yet")
        plan.date_deadline = fields.Date.today() - timedelta(days=1)
        Status._cron_escalate_repayment_plans()
        Status._cron_escalate_repayment_plans()
        self.assertEqual(len(self._activities(self.plan_type, self.sales_manager)), 1)

    def test_repayment_plan_overdue_in_the_salespersons_calendar_whatever_the_crons(self):
        # 25 hours apart: the two calendars are on different days at any hour.
        ahead, behind = "Pacific/Kiritimati", "Pacific/Pago_Pago"
        self._order(self.customer, 9)
        self._run_precommit()
        plan = self._activities(self.plan_type, self.salesman)
        Status = self.env["credit.policy.status"]

        self.salesman.tz = behind
        plan.date_deadline = fields.Date.context_today(plan.with_context(tz=behind))  # his last day
        Status.with_context(tz=ahead)._cron_escalate_repayment_plans()
        self.assertFalse(self._activities(self.plan_type, self.sales_manager), "still due today for him")

        self.salesman.tz = ahead
        # he missed it yesterday
        plan.date_deadline = fields.Date.context_today(plan.with_context(tz=ahead)) - timedelta(days=1)
        Status.with_context(tz=behind)._cron_escalate_repayment_plans()
        self.assertEqual(len(self._activities(self.plan_type, self.sales_manager)), 1)

    def test_search_customers_above_warn_threshold(self):
        calm = self._credit_customer("Calm Customer", 1000.0)
        self._order(calm, 1)
        self._order(self.customer, 8)
        self._run_precommit()
        Partner = self.env["res.partner"].with_company(self.company)
        found = Partner.search([("credit_status", "in", ("warn", "alert", "over"))])
        self.assertIn(self.customer, found)
        self.assertNotIn(calm, found)
        self.assertIn(self.customer, Partner.search([("credit_usage_percent", ">=", 80)]))
        self.assertNotIn(calm, Partner.search([("credit_usage_percent", ">=", 80)]))

    def test_demo_customers_status(self):
        over = self.env.ref("credit_policy.partner_over_limit_demo")
        at_85 = self.env.ref("credit_policy.partner_at_85_demo")
        main = self.env.ref("base.main_company")
        Status = self.env["credit.policy.status"].sudo()
        self.assertEqual(Status.search([("partner_id", "=", over.id), ("company_id", "=", main.id)]).band, "over")
        row = Status.search([("partner_id", "=", at_85.id), ("company_id", "=", main.id)])
        self.assertEqual((row.band, round(row.usage_percent)), ("warn", 85))
        pending = self.env.ref("credit_policy.temporary_limit_pending_demo").sudo()
        self.assertEqual(pending.state, "to_approve")

    def test_activity_speaks_the_salespersons_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_policy"], ["zh_CN"], overwrite=True)
        self.salesman.lang = "zh_CN"
        self._order(self.customer, 8)
        self._run_precommit()
        activity = self._activities(self.warn_type, self.salesman)
        self.assertIn("信用额度", str(activity.note))
        self.assertNotIn("credit limit", str(activity.note))
