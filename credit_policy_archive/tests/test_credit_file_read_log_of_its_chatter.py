from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Visit: the bank cut the customer's overdraft by 2 million"


@tagged("post_install", "-at_install")
class TestCreditFileReadLogOfItsChatter(RpcMixin, CreditFileCommon, HttpCase):
    """The notes logged on a credit file are its content (visits, bank
    information): reading them through ``mail.message`` is a logged read of
    the file, or refused."""

    def test_reading_the_files_notes_through_mail_message_is_logged(self):
        file = self.files["department"]
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        try:
            rows = self._call(
                self.colleague,
                "mail.message",
                "search_read",
                [[("model", "=", file._name), ("res_id", "=", file.id)], ["body"]],
            )
        except JsonRpcException:
            rows = []
        bodies = [row["body"] for row in rows if NOTE in (row["body"] or "")]
        if bodies:
            self.assertTrue(
                self._logs(file, self.colleague),
                f"the file's note was read through mail.message without a read log: {bodies}",
            )

    def test_reading_the_files_notes_in_its_chatter_is_logged(self):
        """Mail's chatter route fetches the notes without any public read
        method of the file: reading them there is logged all the same."""
        file = self.files["department"]
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        self.authenticate(self.colleague.login, self.colleague.login)
        result = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": file._name, "thread_id": file.id}
        )
        bodies = [message["body"] for message in result["data"]["mail.message"] if NOTE in str(message["body"])]
        self.assertTrue(bodies, "the colleague of the department reads the file's notes in its chatter")
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["message"])

    def test_searching_the_files_chatter_logs_one_read(self):
        file = self.files["department"]
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        self.authenticate(self.colleague.login, self.colleague.login)
        self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": file._name, "thread_id": file.id, "search_term": "overdraft"},
        )
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["message"])
