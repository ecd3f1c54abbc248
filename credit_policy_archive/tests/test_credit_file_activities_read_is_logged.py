from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

SUMMARY = "Overdraft cut"
NOTE = "Ask the bank why it cut the overdraft by 2 million"


@tagged("post_install", "-at_install")
class TestCreditFileActivitiesReadIsLogged(RpcMixin, CreditFileCommon, HttpCase):
    """An activity on a credit file (its summary and note: what to check,
    and why) is the file's content like its notes: reading it through
    ``mail.activity`` is a logged read of the file, once per call, as
    reading its notes through ``mail.message`` is."""

    def setUp(self):
        super().setUp()
        self.file = self.files["department"]
        self.activities = self.env["mail.activity"]
        for summary in (SUMMARY, SUMMARY + " (again)"):
            self.activities |= self.file.with_user(self.dept_manager).activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, note=NOTE, user_id=self.colleague.id
            )
        # an activity elsewhere is no read of a file
        self.partner_activity = self.file.partner_id.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call the buyer", user_id=self.colleague.id
        )
        self.env["credit.policy.archive.read.log"].flush_model()

    def _channels(self):
        return self._logs(self.file, self.colleague).mapped("channel")

    def test_reading_the_files_activities_is_logged_once_per_call(self):
        domain = [("res_model", "=", self.file._name), ("res_id", "=", self.file.id)]
        for method, args, kwargs in (
            ("search_read", [domain, ["summary", "note"]], {}),
            ("search_read", [[("id", "in", (self.activities | self.partner_activity).ids)]], {}),
            ("read", [self.activities.ids, ["note"]], {}),
            # an activity's name is its summary
            ("read", [self.activities.ids, ["display_name"]], {}),
            ("web_read", [self.activities.ids, {"summary": {}}], {}),
            ("web_search_read", [domain, {"note": {}}], {}),
            # the list's activity widget
            ("activity_format", [self.activities.ids], {}),
            ("read_group", [domain, ["summary"], ["summary"]], {}),
        ):
            with self.subTest(method=method, args=args):
                before = len(self._channels())
                rows = self._call(self.colleague, "mail.activity", method, args, kwargs)
                self.assertTrue(SUMMARY in str(rows) or NOTE in str(rows))
                self.assertEqual(len(self._channels()), before + 1, f"{method}: one read of the file, logged")
        self.assertEqual(
            self._channels(), ["group"] + ["activity"] * 7
        )

    def test_searching_the_files_activities_by_their_text_is_logged(self):
        count = self._call(self.colleague, "mail.activity", "search_count", [[("note", "ilike", "overdraft")]])
        self.assertEqual(count, 2)
        self.assertEqual(self._channels(), ["search"])
        self._call(self.colleague, "mail.activity", "search", [[("display_name", "ilike", "overdraft cut")]])
        self.assertEqual(self._channels(), ["search", "search"])

    def test_bookkeeping_and_other_records_are_no_read(self):
        self._call(
            self.colleague, "mail.activity", "search_read",
            [[("res_model", "=", self.file._name)], ["date_deadline", "user_id", "res_id"]],
        )
        self._call(self.colleague, "mail.activity", "read", [self.partner_activity.ids, ["summary", "note"]])
        self.assertFalse(self._channels())

    def test_reading_them_in_the_files_chatter_is_logged_once(self):
        """Mail's chatter loads the file's activities outside the public read
        methods (``/mail/thread/data``): one read of the file all the same."""
        self.authenticate(self.colleague.login, self.colleague.login)
        # in a read/write transaction from the start: the route of a file
        # writes its read log, which a read-only one refuses (and retries)
        with self.assertNoLogs("odoo.http", "WARNING"):
            result = self.make_jsonrpc_request(
                "/mail/thread/data",
                {"thread_model": self.file._name, "thread_id": self.file.id, "request_list": ["activities"]},
            )
        self.assertIn(NOTE, str(result.get("mail.activity")))
        self.assertEqual(self._channels(), ["activity"])
