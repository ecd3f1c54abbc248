from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Bank: overdraft cut to 1.5 million"


@tagged("post_install", "-at_install")
class TestCreditFileReadLogOfSearchedNotes(RpcMixin, CreditFileCommon, HttpCase):
    """Searching the text of a credit file's notes answers what they say
    without reading them (a search_count per guess): the search is a logged
    read of the file, as a search on the file's own content is. Its grouped
    list is logged once, as a grouped read."""

    def test_searching_the_text_of_the_files_notes_is_a_logged_read(self):
        file = self.files["department"]
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        found = self._call(
            self.colleague,
            "mail.message",
            "search_count",
            [[("model", "=", file._name), ("res_id", "=", file.id), ("body", "ilike", "1.5 million")]],
        )
        self.assertEqual(found, 1, "the colleague reads the department's file and its notes")
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["search"])

    def test_a_grouped_read_filtered_on_the_content_is_logged_once(self):
        file = self.files["department"]
        self._call(
            self.colleague,
            file._name,
            "read_group",
            [[("id", "=", file.id), ("registered_capital", ">", 0)], ["registered_capital:sum"], ["confidentiality"]],
        )
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["group"])
