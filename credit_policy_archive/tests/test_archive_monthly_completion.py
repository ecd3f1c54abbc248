from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

COMPLETION = "credit_policy_archive.mail_activity_credit_file_completion"


class CompletionCommon(CreditFileCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "UTC"
        cls.completion = cls.env.ref(COMPLETION)
        cls.today = fields.Date.today()

    def _age(self, file, days):
        """Make ``file``'s content last change ``days`` days ago (at noon)."""
        when = datetime.combine(self.today - timedelta(days=days), datetime.min.time()) + timedelta(hours=12)
        file.sudo().write({"content_date": when})

    def _open_activities(self, file):
        return self.env["mail.activity"].sudo().search(
            [("res_model", "=", file._name), ("res_id", "=", file.id), ("activity_type_id", "=", self.completion.id)]
        )

    def _done_activities(self, file):
        return self.env["mail.activity"].sudo().with_context(active_test=False).search(
            [
                ("res_model", "=", file._name),
                ("res_id", "=", file.id),
                ("activity_type_id", "=", self.completion.id),
                ("active", "=", False),
            ]
        )

    def _run(self, company=None, today=None):
        File = self.env["credit.policy.archive.file"]
        return File._schedule_completion_activities(company or self.company, today or self.today)


@tagged("post_install", "-at_install")
class TestArchiveMonthlyCompletion(CompletionCommon):
    """POLICY.md §6 (seed 003): credit files are completed "at least monthly
    by the salesperson". A file whose content did not change for more than
    the company's days gets one "Complete the credit file" activity for its
    owner; completing the file marks it done."""

    def test_default_is_a_setting_of_thirty_days(self):
        self.assertEqual(self.company.credit_archive_completion_days, 30)
        settings = self.env["credit.policy.settings"].sudo().create({})
        self.assertIn("credit_archive_completion_days", settings._credit_settings_field_names())
        with self.assertRaises(ValidationError):
            self.company.credit_archive_completion_days = -1

    def test_one_activity_for_the_owner_of_a_file_unchanged_for_more_than_the_days(self):
        stale, at_limit, fresh = self.files["department"], self.files["company"], self.files["personal"]
        self._age(stale, 31)
        self._age(at_limit, 30)
        self._run()
        activity = self._open_activities(stale)
        self.assertRecordValues(
            activity,
            [{"user_id": self.owner.id, "summary": "Complete the credit file", "date_deadline": self.today}],
        )
        self.assertFalse(self._open_activities(at_limit), "30 days ago is not more than 30 days")
        self.assertFalse(self._open_activities(fresh))
        # Idempotent: no second activity while one is open, however often it runs.
        self._run()
        self._run(today=self.today + timedelta(days=40))
        self.assertEqual(self._open_activities(stale), activity)
        self.assertEqual(len(self._open_activities(at_limit)), 1, "due 40 days later")

    def test_completing_the_file_marks_the_activity_done(self):
        for level, complete in (
            ("department", lambda file: file.write({"visit_ids": [Command.create({"summary": "Visited"})]})),
            ("company", lambda file: file.write({"products": "Steel pipes"})),
            ("personal", lambda file: file.financial_ids.write({"total_assets": 2000.0})),
        ):
            with self.subTest(level=level):
                file = self.files[level]
                self._age(file, 45)
                self._run()
                self.assertTrue(self._open_activities(file))
                complete(file.with_user(self.owner))
                self.assertFalse(self._open_activities(file), "done once the file is completed")
                self.assertEqual(len(self._done_activities(file)), 1)
                self.assertEqual(file.content_date.date(), fields.Date.today())
                self._run()
                self.assertFalse(self._open_activities(file), "a completed file is not due again")

    def test_removing_an_outdated_document_completes_the_file(self):
        file = self.files["department"]
        self._age(file, 45)
        file.document_ids.with_user(self.owner).unlink()
        self.assertEqual(file.content_date.date(), self.today)

    def test_the_servers_own_reminders_are_no_completion(self):
        file = self.files["department"]
        file.document_ids.expiry_date = self.today + timedelta(days=3)
        self._age(file, 45)
        self.env["credit.policy.archive.document"]._cron_warn_expiring_documents()
        self.assertTrue(file.document_ids.expiry_warned_date, "the expiry warning was given")
        self.env["credit.policy.archive.file"]._cron_schedule_freshness_activities()
        self._run()
        self.assertEqual(file.content_date.date(), self.today - timedelta(days=45))
        self.assertTrue(self._open_activities(file))

    def test_who_reads_the_file_is_no_completion(self):
        file = self.files["department"]
        self._age(file, 45)
        self._run()
        file.with_user(self.owner).write({"confidentiality": "personal"})
        self.assertTrue(self._open_activities(file), "changing who reads a file does not complete it")
        # (archiving a file drops its activities, as for any record)
        file.with_user(self.owner).write({"active": False})
        file.with_user(self.owner).write({"active": True})
        self.assertEqual(file.content_date.date(), self.today - timedelta(days=45))

    def test_clients_do_not_set_the_completion_date(self):
        file = self.files["department"]
        self._age(file, 45)
        future = fields.Datetime.now() + timedelta(days=365)
        file.with_user(self.owner).write({"content_date": future})
        self.assertEqual(file.content_date.date(), self.today - timedelta(days=45))
        partner = self.env["res.partner"].create({"name": "CPA completion customer", "is_company": True})
        new = (
            self.env["credit.policy.archive.file"]
            .with_user(self.owner)
            .with_context(default_content_date=fields.Datetime.to_string(future))
            .create({"partner_id": partner.id, "content_date": future})
        )
        self.assertEqual(new.sudo().content_date.date(), self.today, "opened today, whatever the client sends")

    def test_activity_tells_nothing_the_file_holds_and_logs_no_read(self):
        file = self.files["personal"]
        self._age(file, 45)
        logs = self.env["credit.policy.archive.read.log"].sudo().search_count([])
        scheduler = self.env["credit.policy.archive.file"].with_user(self.env.ref("base.user_root"))
        scheduler._cron_schedule_completion_activities()
        activity = self._open_activities(file)
        self.assertEqual(len(activity), 1)
        text = f"{activity.summary} {activity.note} {activity.res_name}"
        for content in ("Rep personal", "5,000,000", "5000000", "Met the buyer", "Licence"):
            self.assertNotIn(content, text)
        self.assertEqual(activity.res_name, file.partner_id.name)
        self.assertEqual(
            self.env["credit.policy.archive.read.log"].sudo().search_count([]), logs, "the scheduler reads nothing"
        )
        # Someone who may not read the personal file does not see its activity either.
        for user in (self.colleague, self.other_salesman):
            with self.subTest(user=user.login):
                self.assertFalse(self.env["mail.activity"].with_user(user).search([("id", "=", activity.id)]))
        self.assertTrue(self.env["mail.activity"].with_user(self.owner).search([("id", "=", activity.id)]))

    def test_days_are_the_companys_setting(self):
        file = self.files["department"]
        self._age(file, 45)
        self.company.credit_archive_completion_days = 60
        self._run()
        self.assertFalse(self._open_activities(file))
        self.company.credit_archive_completion_days = 0
        self._run(today=self.today + timedelta(days=400))
        self.assertFalse(self._open_activities(file), "0: no completion activity")
        self.company.credit_archive_completion_days = 40
        self._run()
        self.assertTrue(self._open_activities(file))

    def test_each_company_its_files_and_its_days(self):
        other = self.env["res.company"].create({"name": "CPA Completion Other Co"})
        other.partner_id.tz = "UTC"
        self.owner.company_ids |= other
        partner = self.env["res.partner"].create({"name": "CPA other company customer", "is_company": True})
        other_file = (
            self.env["credit.policy.archive.file"]
            .with_user(self.owner)
            .with_company(other)
            .create({"partner_id": partner.id, "company_id": other.id, "team_id": False})
        )
        here = self.files["department"]
        self._age(here, 45)
        self._age(other_file, 45)
        other.credit_archive_completion_days = 60
        self._run()
        self.assertTrue(self._open_activities(here))
        self.assertFalse(self._open_activities(other_file), "the other company's file is not this company's")
        self._run(company=other)
        self.assertFalse(self._open_activities(other_file), "the other company asks every 60 days")
        self._age(other_file, 61)
        self._run(company=other)
        self.assertEqual(self._open_activities(other_file).user_id, self.owner)

    def test_scheduled_action_counts_days_in_the_company_calendar(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        file = self.files["department"]
        # Changed on 1 June 2026 at 20:00 in Shanghai (12:00 UTC). At midnight
        # starting 2 July in Shanghai (16:00 UTC on 1 July) that is 31 days ago
        # there, 30 days ago in UTC.
        file.sudo().write({"content_date": datetime(2026, 6, 1, 12)})
        scheduler = self.env["credit.policy.archive.file"].with_user(self.env.ref("base.user_root")).with_context(
            tz=None
        )
        with freeze_time(datetime(2026, 7, 1, 16)):  # 2 July, 00:00 in Shanghai
            scheduler._cron_schedule_completion_activities()
        self.assertTrue(self._open_activities(file))


@tagged("post_install", "-at_install")
class TestArchiveMonthlyCompletionRpc(RpcMixin, CompletionCommon, HttpCase):
    """Over JSON-RPC a salesperson can neither push his file's completion date
    into the future nor close the reminder without completing the file."""

    def test_rpc_owner_cannot_postpone_the_completion(self):
        file = self.files["department"]
        self._age(file, 45)
        future = fields.Datetime.to_string(fields.Datetime.now() + timedelta(days=365))
        self._call(self.owner, file._name, "write", [[file.id], {"content_date": future}])
        self.assertEqual(file.content_date.date(), self.today - timedelta(days=45))
        self._run()
        self.assertTrue(self._open_activities(file))
        # What he can do: complete the file.
        self._call(self.owner, file._name, "write", [[file.id], {"transaction_status": "Orders steady, pays on time"}])
        self.assertFalse(self._open_activities(file))


@tagged("post_install", "-at_install")
class TestArchiveMonthlyCompletionHandover(CompletionCommon):
    """Files never leave with their owner (seed 003), nor do their reminders."""

    def test_handover_gives_the_open_completion_to_the_new_owner(self):
        file = self.files["department"]
        self._age(file, 45)
        self._run()
        self.env["credit.policy.archive.handover.wizard"].with_user(self.credit_manager).create(
            {"from_user_id": self.owner.id, "to_user_id": self.colleague.id, "reason": "Leaves the company"}
        ).action_confirm()
        self.assertEqual(self._open_activities(file).user_id, self.colleague)
        self.assertEqual(file.content_date.date(), self.today - timedelta(days=45), "a handover completes nothing")
        self._run()
        self.assertEqual(len(self._open_activities(file)), 1)
