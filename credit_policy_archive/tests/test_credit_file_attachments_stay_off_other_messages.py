import base64

from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAttachmentsStayOffOtherMessages(RpcMixin, CreditFileCommon, HttpCase):
    """A credit file's attachment (a document's scan, a file sent in its
    chatter) goes on the file's own messages only: on a message of another
    record it would be e-mailed and shown with it, read by nobody the read
    log knows of."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.file = cls.files["department"]
        cls.file.document_ids.sudo().write(
            {"attachment": base64.b64encode(b"LICENCE SCAN"), "attachment_name": "licence.pdf"}
        )
        cls.scan = cls.env["ir.attachment"].sudo().search(
            [("res_model", "=", "credit.policy.archive.document"), ("res_id", "=", cls.file.document_ids.id),
             ("res_field", "=", "attachment")]
        )
        cls.outsider = cls.env["res.partner"].create({"name": "Outsider", "email": "outsider@example.com"})
        cls.order = cls.env["sale.order"].with_user(cls.colleague).create({"partner_id": cls.outsider.id})

    def _mails_with_the_scan(self):
        return self.env["mail.mail"].sudo().search([("attachment_ids", "in", self.scan.ids)])

    def test_a_reader_cannot_mail_the_files_scan_from_another_record(self):
        with self.assertRaises(JsonRpcException):
            self._call(
                self.colleague, "sale.order", "message_post", [self.order.ids],
                {"body": "FYI", "attachment_ids": self.scan.ids, "partner_ids": self.outsider.ids,
                 "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
            )
        self.assertFalse(self._mails_with_the_scan())

    def test_a_reader_cannot_add_the_files_scan_to_his_message_elsewhere(self):
        message = self.order.with_user(self.colleague).message_post(body="FYI", message_type="comment")
        self.authenticate(self.colleague.login, self.colleague.login)
        with self.assertRaises(JsonRpcException):
            self._call(self.colleague, "mail.message", "write", [message.ids, {"attachment_ids": [(4, self.scan.id)]}])
        self.assertFalse(message.sudo().attachment_ids)

    def test_the_files_own_messages_take_its_attachments(self):
        message = self.file.with_user(self.owner).message_post(
            body="The licence, renewed", attachment_ids=self.scan.ids, partner_ids=self.colleague.partner_id.ids
        )
        self.assertEqual(message.sudo().attachment_ids, self.scan)
