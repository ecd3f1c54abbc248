import base64

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileReadLog(CreditFileCommon, HttpCase):
    """查阅记录: every read of a file's content is logged, whatever the path,
    and nobody alters the log."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_form_list_read_search_read_and_export_are_logged(self):
        file = self.files["department"]
        File = self.env["credit.policy.archive.file"].with_user(self.colleague)
        paths = {
            "form": lambda: File.browse(file.id).web_read({"legal_representative": {}}),
            "list": lambda: File.web_search_read([("id", "=", file.id)], {"legal_representative": {}}),
            "read": lambda: File.browse(file.id).read(["legal_representative"]),
            "search_read": lambda: File.search_read([("id", "=", file.id)], ["legal_representative"]),
            "export": lambda: File.browse(file.id).export_data(["legal_representative"]),
        }
        self.colleague.groups_id += self.env.ref("base.group_allow_export")
        for channel, read in paths.items():
            with self.subTest(channel=channel):
                before = self._logs(file, self.colleague)
                read()
                new = self._logs(file, self.colleague) - before
                self.assertEqual(new.mapped("channel"), [channel])
                self.assertEqual(new.confidentiality, "department")
                self.assertFalse(new.access_request_id)

    def test_grouped_list_of_content_is_logged(self):
        file = self.files["department"]
        self._call_as(self.colleague, "credit.policy.archive.financial", "web_read_group",
                      [[("file_id", "=", file.id)], ["revenue:sum"], ["period_end:year"]])
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["group"])

    def _call_as(self, user, model, method, args, kwargs=None):
        self.authenticate(user.login, user.login)
        return self._call(model, method, args, kwargs)

    def test_content_read_is_logged_against_its_file(self):
        file = self.files["personal"]
        file.financial_ids.with_user(self.owner).read(["revenue"])
        log = self._logs(file, self.owner)
        self.assertEqual(log.content, "credit.policy.archive.financial")

    def test_read_through_the_json_rpc_dispatcher_is_logged_with_its_grant(self):
        file = self.files["personal"]
        request = self.env["credit.policy.archive.access.request"].with_user(self.other_salesman).create(
            {"partner_id": file.partner_id.id, "purpose": "Audit", "date_to": "2999-12-31"}
        )
        request.action_submit()
        request.with_user(self.dept_manager).action_approve()
        self.authenticate(self.other_salesman.login, self.other_salesman.login)
        rows = self._call("credit.policy.archive.file", "read", [file.ids, ["legal_representative"]])
        self.assertEqual(rows[0]["legal_representative"], "Rep personal")
        self._call("credit.policy.archive.file", "web_read", [file.ids],
                   {"specification": {"legal_representative": {}, "financial_ids": {"fields": {"revenue": {}}}}})
        logs = self._logs(file, self.other_salesman)
        self.assertEqual(sorted(logs.mapped("channel")), ["form", "read"])
        self.assertEqual(logs.access_request_id, request)
        # Without a grant, the same call is refused and nothing is read.
        self.authenticate(self.colleague.login, self.colleague.login)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("credit.policy.archive.file", "read", [file.ids, ["legal_representative"]])
        self.assertFalse(self._logs(file, self.colleague))

    def test_document_download_is_logged(self):
        file = self.files["department"]
        file.document_ids.sudo().write({"attachment": base64.b64encode(b"LICENCE"), "attachment_name": "lic.txt"})
        self.authenticate(self.colleague.login, self.colleague.login)
        response = self.url_open(f"/web/content/credit.policy.archive.document/{file.document_ids.id}/attachment")
        self.assertEqual(response.content, b"LICENCE")
        self.assertIn("download", self._logs(file, self.colleague).mapped("channel"))
        self.authenticate(self.other_salesman.login, self.other_salesman.login)
        response = self.url_open(f"/web/content/credit.policy.archive.document/{file.document_ids.id}/attachment")
        self.assertNotEqual(response.content, b"LICENCE")

    def test_chatter_loads_in_a_read_only_transaction(self):
        file = self.files["personal"]
        self.authenticate(self.owner.login, self.owner.login)
        with self.assertNoLogs("odoo.http", level="WARNING"):
            self.make_jsonrpc_request(
                "/mail/thread/data",
                {"thread_model": file._name, "thread_id": file.id,
                 "request_list": ["activities", "attachments", "followers", "scheduledMessages"]},
            )

    def test_print_is_logged(self):
        file = self.files["company"]
        self.env["ir.actions.report"].with_user(self.officer)._render_qweb_html(
            "credit_policy_archive.action_report_annual_review", file.ids
        )
        self.assertIn("print", self._logs(file, self.officer).mapped("channel"))

    def test_log_is_unalterable_by_its_reader_a_credit_manager_and_an_admin(self):
        file = self.files["company"]
        file.with_user(self.officer).read(["legal_representative"])
        log = self._logs(file, self.officer)
        self.assertTrue(log)
        for user in (self.officer, self.credit_manager, self.admin):
            Log = log.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Log.write({"user_id": self.owner.id})
                with self.assertRaises(AccessError):
                    Log.unlink()
                with self.assertRaises(AccessError):
                    Log.create({"user_id": user.id, "file_id": file.id, "partner_id": file.partner_id.id,
                                "company_id": file.company_id.id, "channel": "read"})
        # Not even as superuser through the ORM.
        with self.assertRaises(AccessError):
            log.sudo().write({"channel": "list"})
        with self.assertRaises(AccessError):
            log.sudo().unlink()
        self.assertEqual(log.channel, "read")

    def test_credit_manager_reviews_the_log_and_its_reader_does_not(self):
        file = self.files["company"]
        file.with_user(self.officer).read(["legal_representative"])
        Log = self.env["credit.policy.archive.read.log"]
        self.assertTrue(Log.with_user(self.credit_manager).search([("file_id", "=", file.id)]))
        with self.assertRaises(AccessError):
            Log.with_user(self.officer).search([])
