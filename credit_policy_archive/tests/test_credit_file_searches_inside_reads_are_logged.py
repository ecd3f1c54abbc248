from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Bank: overdraft cut to 1.5 million"


@tagged("post_install", "-at_install")
class TestCreditFileSearchesInsideReadsAreLogged(RpcMixin, CreditFileCommon, HttpCase):
    """A read whose domain tests the content answers a question on every
    record it matches, whatever fields it returns (only the ids, or a count
    beyond its page): the records matched are logged, once per call."""

    def test_a_list_of_ids_filtered_on_the_content_is_logged(self):
        file = self.files["department"]
        result = self._call(
            self.colleague, file._name, "web_search_read", [[("registered_capital", ">", 4000000)], {"id": {}}],
            {"limit": 1},
        )
        self.assertEqual(result["records"], [{"id": file.id}])
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["list"])

    def test_the_count_beyond_the_page_is_logged(self):
        file = self.files["department"]
        other = self.files["personal"]
        result = self._call(
            self.dept_manager, file._name, "web_search_read",
            [[("registered_capital", ">", 4000000), ("id", "in", [file.id, other.id])], {"legal_representative": {}}],
            {"limit": 1, "order": "id"},
        )
        self.assertEqual(result["length"], 2)
        self.assertEqual(len(self._logs(file, self.dept_manager)), 1)
        self.assertEqual(len(self._logs(other, self.dept_manager)), 1, "counted among the matches: read")

    def test_ids_of_the_notes_matching_a_text_are_a_logged_read(self):
        file = self.files["department"]
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        rows = self._call(
            self.colleague, "mail.message", "search_read",
            [[("model", "=", file._name), ("res_id", "=", file.id), ("body", "ilike", "1.5 million")], ["id"]],
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["message"])

    def test_reading_what_a_content_search_found_is_logged_once(self):
        file = self.files["department"]
        rows = self._call(
            self.colleague, file._name, "search_read",
            [[("registered_capital", ">", 4000000)], ["legal_representative"]],
        )
        self.assertEqual([row["id"] for row in rows], file.ids)
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["search_read"])
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        self._call(
            self.dept_manager, "mail.message", "search_read",
            [[("model", "=", file._name), ("body", "ilike", "1.5 million")], ["body"]],
        )
        self.assertEqual(self._logs(file, self.dept_manager).mapped("channel"), ["message"])

    def test_a_grouped_read_of_notes_filtered_on_their_text_is_logged_once(self):
        file = self.files["department"]
        file.with_user(self.owner).message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        domain = [("model", "=", file._name), ("body", "ilike", "1.5 million")]
        for method in ("read_group", "web_read_group"):
            self._call(self.colleague, "mail.message", method, [domain, ["body"], ["body"]])
        self.assertEqual(self._logs(file, self.colleague).mapped("channel"), ["group", "group"])
