from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Bank: overdraft cut to 1.5 million"


@tagged("post_install", "-at_install")
class TestCreditFileSearchThroughItsChatterIsLogged(RpcMixin, CreditFileCommon, HttpCase):
    """Searching the files by what their notes or activities say (a
    ``search_count`` per guess answers it) reads them: logged like a search
    on the file's own content, whichever way the domain reaches the notes
    (mail joins ``message_ids``, ``website_message_ids`` and ``activity_ids``
    in SQL, without asking ``mail.message`` or ``mail.activity``). Mail's
    bookkeeping (unread, my activities) reads nothing."""

    def setUp(self):
        super().setUp()
        self.file = self.files["department"]
        self.file.with_user(self.owner).message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.file.with_user(self.owner).activity_schedule(
            "mail.mail_activity_data_todo", summary="Call the bank", note=NOTE, user_id=self.owner.id
        )

    def test_searching_the_files_by_their_notes_or_activities_is_a_logged_read(self):
        for domain in (
            [("message_ids.body", "ilike", "1.5 million")],
            [("website_message_ids.body", "ilike", "1.5 million")],
            [("message_ids", "any", [("body", "ilike", "1.5 million")])],
            [("activity_ids.note", "ilike", "1.5 million")],
            [("activity_ids", "any", [("summary", "ilike", "bank")])],
            [("activity_summary", "ilike", "bank")],
        ):
            with self.subTest(domain=domain):
                logged = len(self._logs(self.file, self.dept_manager))
                found = self._call(
                    self.dept_manager, self.file._name, "search_count", [[("id", "=", self.file.id), *domain]]
                )
                self.assertEqual(found, 1, domain)
                self.assertEqual(len(self._logs(self.file, self.dept_manager)), logged + 1)

    def test_mails_bookkeeping_reads_nothing(self):
        for domain in (
            [("message_needaction", "=", False)],
            [("activity_user_id", "=", self.owner.id)],
            [("message_ids.author_id", "=", self.owner.partner_id.id)],
            [("activity_ids.date_deadline", "!=", False)],
        ):
            with self.subTest(domain=domain):
                self._call(self.dept_manager, self.file._name, "search_count", [[("id", "=", self.file.id), *domain]])
        self.assertFalse(self._logs(self.file, self.dept_manager))
