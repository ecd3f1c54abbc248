from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Visit: the bank cut the customer's overdraft by 2 million"


@tagged("post_install", "-at_install")
class TestCreditFileNotesGroupedReadIsLogged(RpcMixin, CreditFileCommon, HttpCase):
    """The notes of a credit file read through mail.message are a logged read
    of the file, whatever read method returns them: a grouped read by the
    body (or subject) returns the text of the notes as group values."""

    def _grouped(self, method, file, field):
        domain = [("model", "=", file._name), ("res_id", "=", file.id)]
        try:
            if method == "web_read_group":
                result = self._call(self.colleague, "mail.message", method, [domain, [field], [field]])
                groups = result["groups"]
            else:
                groups = self._call(self.colleague, "mail.message", method, [domain, [field], [field]])
        except JsonRpcException:
            return []
        return [group[field] for group in groups if NOTE in str(group.get(field))]

    def _assert_logged_if_read(self, method, field, vals):
        file = self.files["department"]
        file.with_user(self.owner).message_post(message_type="comment", subtype_xmlid="mail.mt_note", **vals)
        values = self._grouped(method, file, field)
        if values:
            self.assertTrue(
                self._logs(file, self.colleague),
                f"the file's note was read by {method} on {field} without a read log: {values}",
            )

    def test_read_group_by_body(self):
        self._assert_logged_if_read("read_group", "body", {"body": NOTE})

    def test_web_read_group_by_body(self):
        self._assert_logged_if_read("web_read_group", "body", {"body": NOTE})

    def test_read_group_by_subject(self):
        self._assert_logged_if_read("read_group", "subject", {"body": "visit", "subject": NOTE})
