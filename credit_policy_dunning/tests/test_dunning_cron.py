from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCron(DunningCommon):
    """The daily run executes batch by batch, or prepares a run for review,
    as the company says."""

    def setUp(self):
        super().setUp()
        self.second = self._credit_customer("Second Debtor Ltd")
        self.second.email = "second@example.com"
        self._overdue_invoice(self.customer, 500.0, 20)
        self._overdue_invoice(self.second, 700.0, 20)
        self.Run = self.env["credit.policy.dunning.run"].sudo()

    def _runs(self):
        return self.Run.search([("company_id", "=", self.company.id)])

    def test_scheduled_run_prepares_a_run_for_review(self):
        self.company.credit_dunning_cron_mode = "review"
        self.Run._cron_run_dunning()
        run = self._runs()
        self.assertEqual(run.state, "draft")
        self.assertEqual(set(run.line_ids.mapped("state")), {"proposed"})
        self.assertFalse(run.line_ids.mail_id)
        self.Run._cron_run_dunning()
        self.assertEqual(self._runs(), run, "the same run, nothing proposed twice")
        self.assertEqual(len(run.line_ids), 2)

    def test_scheduled_run_executes_batch_by_batch(self):
        self.company.write({"credit_dunning_cron_mode": "execute", "credit_dunning_batch_size": 1})
        self.Run._cron_run_dunning()
        run = self._runs()
        self.assertEqual(run.line_ids.mapped("state").count("done"), 1, "one batch")
        self.assertEqual(run.state, "draft")
        self.Run._cron_run_dunning()
        self.assertEqual(self._runs(), run)
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.line_ids.mail_id), 2)
        self.Run._cron_run_dunning()
        self.assertEqual(self._runs(), run, "nothing new on the same day")

    def test_scheduled_run_is_dated_in_the_companys_calendar(self):
        """At 02:00 in Shanghai (18:00 UTC the day before) the run is the
        Shanghai day's, not UTC's yesterday."""
        self.company.partner_id.tz = "Asia/Shanghai"
        self.company.credit_dunning_cron_mode = "review"
        shanghai_day = self.today + timedelta(days=1)
        with freeze_time(datetime.combine(self.today, datetime.min.time()) + timedelta(hours=18)):
            self.Run._cron_run_dunning()
        self.assertEqual(self._runs().date, shanghai_day)

    def test_credit_staff_open_a_run_and_its_actions(self):
        """Outgoing mails are administrators' to read: the run's and the
        action's links to them are not shown to credit staff, whose forms
        then load."""
        self.company.credit_dunning_cron_mode = "execute"
        self.Run._cron_run_dunning()
        run = self._runs()
        self.assertTrue(run.line_ids.mail_id)
        for record in (run, run.line_ids[0]):
            model = record.with_user(self.controller)
            arch = model.get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertNotIn('name="mail_id"', arch)
            self.assertNotIn('name="action_view_mails"', arch)
            fields_in_view = [name for name in model._fields if f'name="{name}"' in arch]
            model.web_read({name: {} for name in fields_in_view})
