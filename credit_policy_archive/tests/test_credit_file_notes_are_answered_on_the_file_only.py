from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Visit: the bank cut the customer's overdraft by 2 million"


@tagged("post_install", "-at_install")
class TestCreditFileNotesAreAnsweredOnTheFileOnly(RpcMixin, CreditFileCommon, HttpCase):
    """Discuss shows the message a reply answers with the reply (formatted
    as superuser): a message elsewhere (in one's own chat) given a note of a
    credit file as its parent would show the note there to anyone, without
    the file's rules and read log. A note of a file is answered on the file
    only."""

    def setUp(self):
        super().setUp()
        self.file = self.files["department"]
        self.note = self.file.with_user(self.owner).message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        user = self.other_salesman
        self.channel = self.env["discuss.channel"].with_user(user).create_group(partners_to=user.partner_id.ids)

    def _channel_shows_the_note(self, user):
        self.authenticate(user.login, user.login)
        result = self.make_jsonrpc_request("/discuss/channel/messages", {"channel_id": self.channel.id})
        return NOTE in str(result)

    def test_a_note_of_a_file_cannot_be_the_parent_of_a_message_elsewhere(self):
        user = self.other_salesman
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(
                user, "mail.message", "create",
                [{"model": self.channel._name, "res_id": self.channel.id, "body": "hi", "message_type": "comment",
                  "parent_id": self.note.id}],
            )
        reply = self.channel.with_user(user).message_post(body="hi", message_type="comment")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(user, "mail.message", "write", [reply.ids, {"parent_id": self.note.id}])
        self.assertFalse(self._channel_shows_the_note(user))

    def test_a_note_is_still_answered_on_its_file(self):
        answer = self.file.with_user(self.dept_manager).message_post(
            body="Ask for the bank's letter", message_type="comment", subtype_xmlid="mail.mt_note",
            parent_id=self.note.id,
        )
        self.assertEqual(answer.parent_id, self.note)
