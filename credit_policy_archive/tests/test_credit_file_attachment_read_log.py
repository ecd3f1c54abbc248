import base64

from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.test_credit_workflow_forgery import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAttachmentReadLog(RpcMixin, CreditFileCommon, HttpCase):
    """A credit file's document read through ``ir.attachment`` (RPC or
    /web/content/<attachment id>) is a logged read of the file, and refused
    to whoever may not read the file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.file = cls.files["department"]
        cls.document = cls.file.document_ids
        cls.document.sudo().write({"attachment": base64.b64encode(b"LICENCE"), "attachment_name": "lic.txt"})
        cls.scan = cls.env["ir.attachment"].sudo().search(
            [("res_model", "=", cls.document._name), ("res_id", "=", cls.document.id), ("res_field", "=", "attachment")]
        )

    def test_reading_a_documents_content_through_ir_attachment_is_logged(self):
        self.assertEqual(len(self.scan), 1)
        rows = self._call(
            self.colleague, "ir.attachment", "search_read",
            [[("res_model", "=", self.document._name), ("res_field", "=", "attachment")], ["datas"]],
        )
        self.assertIn(base64.b64encode(b"LICENCE").decode(), [row["datas"] for row in rows])
        logs = self._logs(self.file, self.colleague)
        self.assertEqual(logs.mapped("channel"), ["attachment"])
        self.assertEqual(logs.content, self.document._name)
        self._call(self.colleague, "ir.attachment", "read", [self.scan.ids, ["raw"]])
        self.assertEqual(len(self._logs(self.file, self.colleague)), 2)
        # The name and size of the attachment are no content: not logged.
        self._call(self.colleague, "ir.attachment", "read", [self.scan.ids, ["name", "file_size"]])
        self.assertEqual(len(self._logs(self.file, self.colleague)), 2)

    def test_exporting_a_documents_content_is_logged(self):
        self.colleague.sudo().groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        result = self._call(self.colleague, "ir.attachment", "export_data", [self.scan.ids, ["name", "datas"]])
        self.assertEqual(len(result["datas"]), 1)
        self.assertEqual(self._logs(self.file, self.colleague).mapped("channel"), ["export"])

    def test_a_documents_attachment_cannot_be_copied_or_moved_elsewhere(self):
        """A copy of one's own would be read unlogged."""
        # an attachment of no record is its creator's alone
        moved = {"res_model": False, "res_id": 0, "res_field": False}
        for method, args in (("copy", [self.scan.ids, moved]), ("write", [self.scan.ids, moved])):
            with self.subTest(method=method), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.colleague, "ir.attachment", method, args)
        self.assertEqual(self.scan.res_model, self.document._name)
        self.assertFalse(self.env["ir.attachment"].sudo().search([("create_uid", "=", self.colleague.id)]))

    def test_downloading_a_documents_attachment_by_its_id_is_logged(self):
        self.authenticate(self.colleague.login, self.colleague.login)
        response = self.url_open(f"/web/content/{self.scan.id}")
        self.assertEqual(response.content, b"LICENCE")
        self.assertEqual(self._logs(self.file, self.colleague).mapped("channel"), ["download"])

    def test_who_may_not_read_the_file_cannot_read_its_attachment(self):
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(self.other_salesman, "ir.attachment", "read", [self.scan.ids, ["datas"]])
        self.authenticate(self.other_salesman.login, self.other_salesman.login)
        response = self.url_open(f"/web/content/{self.scan.id}")
        self.assertNotEqual(response.content, b"LICENCE")
        self.assertFalse(self._logs(self.file, self.other_salesman))
