from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Visit: the bank cut the customer's overdraft by 2 million"


@tagged("post_install", "-at_install")
class TestCreditFileNotesAreNotCopied(RpcMixin, CreditFileCommon, HttpCase):
    """A credit file's notes are its content: like its records, nobody but
    the server duplicates them, above all onto another record where they
    would be read without the file's rules and read log."""

    def test_a_reader_cannot_copy_a_note_onto_his_own_record(self):
        file = self.files["department"]
        note = file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        customer = self.env["res.partner"].create({"name": "Another customer"})
        order = self.env["sale.order"].with_user(self.colleague).create({"partner_id": customer.id})
        with self.assertRaises(JsonRpcException):
            self._call(
                self.colleague, "mail.message", "copy", [note.ids],
                {"default": {"model": "sale.order", "res_id": order.id}},
            )
        self.assertFalse(
            self.env["mail.message"].sudo().search([("model", "=", "sale.order"), ("body", "ilike", "overdraft")])
        )

    def test_other_messages_are_copied_as_before(self):
        customer = self.env["res.partner"].create({"name": "Another customer"})
        order = self.env["sale.order"].with_user(self.colleague).create({"partner_id": customer.id})
        message = order.with_user(self.colleague).message_post(body="Call back on Monday", message_type="comment")
        copy_ids = self._call(self.colleague, "mail.message", "copy", [message.ids])
        self.assertEqual(len(copy_ids), 1)
