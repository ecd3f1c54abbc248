import base64

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Visit: the bank cut the customer's overdraft by 2 million"


@tagged("post_install", "-at_install")
class TestCreditFileNotesLapseWithTheGrant(RpcMixin, CreditFileCommon, HttpCase):
    """A note of a credit file is its content: whoever may read the file now
    reads it, nobody else. Mail lets the partners a message notified, its
    author and its creator read it for ever; on a credit file, a reader
    whose grant lapsed (or who lost the file otherwise) reads none of the
    notes he heard of, nor their attachments, through any of mail's ways."""

    def _note_heard_as_reader(self, reader, level="department"):
        """The owner's note (with a scan) on the file, posted while ``reader``
        follows it under a grant; the reader stars it. Then the grant is returned."""
        file = self.files[level]
        request = self._access_request(reader, level)
        request.with_user(reader).action_submit()
        request.with_user(self.credit_manager).action_approve()
        subtypes = [self.env.ref("mail.mt_note").id, self.env.ref("mail.mt_comment").id]
        self._call(reader, file._name, "message_subscribe", [file.ids, reader.partner_id.ids, subtypes])
        reader.sudo().notification_type = "inbox"
        scan = self.env["ir.attachment"].with_user(self.owner).create(
            {"name": "bank.txt", "raw": b"OVERDRAFT CUT", "res_model": file._name, "res_id": file.id}
        )
        note = file.with_user(self.owner).message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note", attachment_ids=scan.ids
        )
        self.assertTrue(note.notification_ids.filtered(lambda n: n.res_partner_id == reader.partner_id))
        # while he reads the file, he reads the note (and it is logged)
        rows = self._call(reader, "mail.message", "read", [note.ids, ["body"]])
        self.assertIn(NOTE, rows[0]["body"])
        self._call(reader, "mail.message", "toggle_message_starred", [note.ids])
        request.with_user(reader).action_return()
        self.assertFalse(self._can_read(reader, file))
        return note, scan

    def _bodies(self, result):
        return [m["body"] for m in result.get("data", {}).get("mail.message", []) if NOTE in str(m["body"])]

    def test_a_lapsed_reader_reads_none_of_the_notes_he_was_notified_of(self):
        reader = self.other_salesman
        note, scan = self._note_heard_as_reader(reader)
        file = self.files["department"]
        logged = len(self._logs(file, reader))
        for method, args in (
            ("read", [note.ids, ["body"]]),
            ("web_read", [note.ids, {"body": {}, "tracking_value_ids": {}}]),
            ("read", [note.ids, ["attachment_ids", "tracking_value_ids", "subject", "preview"]]),
        ):
            with self.subTest(method=method), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(reader, "mail.message", method, args)
        for domain in (
            [("model", "=", file._name), ("res_id", "=", file.id)],
            [("body", "ilike", "overdraft")],
            [("needaction", "=", True)],
            [("starred", "=", True)],
            [("id", "=", note.id)],
        ):
            with self.subTest(domain=domain):
                rows = self._call(reader, "mail.message", "search_read", [domain, ["body"]])
                self.assertFalse([row for row in rows if NOTE in (row["body"] or "")])
                self.assertFalse(self._call(reader, "mail.message", "search_count", [domain]))
        # through his notification of it
        notification = note.notification_ids.filtered(lambda n: n.res_partner_id == reader.partner_id)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(
                reader, "mail.notification", "web_read",
                [notification.ids, {"mail_message_id": {"fields": {"body": {}}}}],
            )
        self.assertFalse(
            self._call(reader, "mail.notification", "search", [[("mail_message_id.body", "ilike", "overdraft")]])
        )
        # mail's own routes: the chatter, the inbox, the history, the starred
        self.authenticate(reader.login, reader.login)
        for route, params in (
            ("/mail/thread/messages", {"thread_model": file._name, "thread_id": file.id}),
            ("/mail/inbox/messages", {}),
            ("/mail/starred/messages", {}),
            ("/mail/inbox/messages", {"search_term": "overdraft"}),
        ):
            with self.subTest(route=route, params=params):
                self.assertFalse(self._bodies(self.make_jsonrpc_request(route, params)))
        notification.sudo().is_read = True
        self.assertFalse(self._bodies(self.make_jsonrpc_request("/mail/history/messages", {})))
        # the note's scan
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(reader, "ir.attachment", "read", [scan.ids, ["datas"]])
        self.assertNotEqual(self.url_open(f"/web/content/{scan.id}").content, b"OVERDRAFT CUT")
        self.assertEqual(len(self._logs(file, reader)), logged, "nothing read, nothing logged")

    def test_a_reader_reads_the_notes_of_his_inbox_logged(self):
        file = self.files["department"]
        self.colleague.sudo().notification_type = "inbox"
        subtypes = [self.env.ref("mail.mt_note").id]
        self._call(self.colleague, file._name, "message_subscribe", [file.ids, self.colleague.partner_id.ids, subtypes])
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        self.authenticate(self.colleague.login, self.colleague.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            self.assertTrue(self._bodies(self.make_jsonrpc_request("/mail/inbox/messages", {})))
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["message"])

    def test_an_author_who_lost_the_file_reads_his_notes_no_more(self):
        """The notes stay with the file, not with whoever wrote them (a
        salesperson who left the department)."""
        file = self.files["department"]
        self.colleague.sudo().notification_type = "inbox"
        file.with_user(self.dept_manager).message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_comment",
            partner_ids=self.colleague.partner_id.ids,
        )
        # the colleague answers in the chatter while he is in the department (as a follower may)
        answer = self.env["mail.message"].sudo().create(
            {
                "model": file._name, "res_id": file.id, "body": NOTE + " (answer)", "message_type": "comment",
                "author_id": self.colleague.partner_id.id,
                "subtype_id": self.env.ref("mail.mt_note").id,
            }
        )
        answer.sudo().create_uid = self.colleague
        self.team.sudo().member_ids = [Command.unlink(self.colleague.id)]
        self.assertFalse(self._can_read(self.colleague, file))
        rows = self._call(self.colleague, "mail.message", "search_read", [[("body", "ilike", "overdraft")], ["body"]])
        self.assertFalse(rows)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(self.colleague, "mail.message", "read", [answer.ids, ["body"]])
        self.assertFalse(self._logs(file, self.colleague))

    def test_who_may_not_read_the_file_cannot_write_into_its_chatter(self):
        """Mail lets a follower, or a partner a message notified, add a message
        to the record (a reply): on a credit file, only who changes the file
        adds to its notes, and only who reads it edits a message there."""
        reader = self.other_salesman
        note, _scan = self._note_heard_as_reader(reader)
        file = self.files["department"]
        self.assertTrue(file.message_follower_ids.filtered(lambda f: f.partner_id == reader.partner_id))
        for method, args in (
            ("create", [{"model": file._name, "res_id": file.id, "body": "forged visit", "message_type": "comment"}]),
            ("create", [{"model": file._name, "res_id": file.id, "body": "forged reply", "parent_id": note.id,
                         "message_type": "comment"}]),
            ("write", [note.ids, {"body": "rewritten"}]),
        ):
            with self.subTest(method=method, args=args), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(reader, "mail.message", method, args)
        self.assertFalse(self.env["mail.message"].sudo().search([("body", "ilike", "forged")]))
        self.assertIn(NOTE, note.body)

    def test_who_may_not_read_any_credit_file_still_reads_his_other_messages(self):
        """A portal user (no access to credit files at all) reads the
        messages mail lets him read, as before."""
        partner = self.portal.partner_id
        message = partner.message_post(
            body="Your statement is ready", message_type="comment", subtype_xmlid="mail.mt_comment",
            partner_ids=partner.ids,
        )
        rows = self._call(self.portal, "mail.message", "search_read", [[("id", "=", message.id)], ["body"]])
        self.assertEqual([row["id"] for row in rows], message.ids)
