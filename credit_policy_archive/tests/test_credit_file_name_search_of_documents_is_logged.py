from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileNameSearchOfDocumentsIsLogged(RpcMixin, CreditFileCommon, HttpCase):
    """A document's name is part of its file's content ("ICBC guarantee of
    3 million"): finding documents by name (the autocomplete's name_search,
    a search on display_name) is a logged read of their file. A file's name
    is its customer's: finding a file by its customer reads nothing."""

    def test_finding_a_document_by_its_name_is_a_logged_read(self):
        file = self.files["department"]
        file.document_ids.sudo().name = "ICBC bank guarantee of 3 million"
        found = self._call(self.colleague, "credit.policy.archive.document", "name_search", [], {"name": "ICBC"})
        self.assertEqual([row[0] for row in found], file.document_ids.ids)
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["search"])
        self._call(
            self.colleague, "credit.policy.archive.document", "search_count",
            [[("display_name", "ilike", "3 million")]],
        )
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["search", "search"])

    def test_finding_a_file_by_its_customer_reads_nothing(self):
        file = self.files["department"]
        found = self._call(self.colleague, file._name, "name_search", [], {"name": file.partner_id.name})
        self.assertEqual([row[0] for row in found], file.ids)
        self.assertFalse(self._logs(file, self.colleague))
