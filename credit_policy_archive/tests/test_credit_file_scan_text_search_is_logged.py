import base64

from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileScanTextSearchIsLogged(RpcMixin, CreditFileCommon, HttpCase):
    """The indexed text of a credit file's scans is its content: searching
    it (a count per guess) is a logged read of the file, once per call, as a
    search on the notes is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.file = cls.files["department"]
        cls.file.document_ids.sudo().write(
            {"attachment": base64.b64encode(b"Guarantee withdrawn by the parent company"),
             "attachment_name": "guarantee.txt"}
        )
        cls.domain = [("index_content", "ilike", "guarantee withdrawn"), ("res_field", "=", "attachment")]

    def test_counting_the_scans_matching_a_text_is_a_logged_read(self):
        self.assertEqual(self._call(self.colleague, "ir.attachment", "search_count", [self.domain]), 1)
        self.assertEqual(self._logs(self.file, self.colleague).mapped("channel"), ["search"])

    def test_listing_the_scans_matching_a_text_is_logged_once(self):
        rows = self._call(self.colleague, "ir.attachment", "search_read", [self.domain, ["name", "datas"]])
        self.assertEqual(len(rows), 1)
        self.assertEqual(self._logs(self.file, self.colleague).mapped("channel"), ["attachment"])

    def test_who_may_not_read_the_file_finds_nothing(self):
        self.assertEqual(self._call(self.other_salesman, "ir.attachment", "search_count", [self.domain]), 0)
        self.assertFalse(self._logs(self.file, self.other_salesman))
