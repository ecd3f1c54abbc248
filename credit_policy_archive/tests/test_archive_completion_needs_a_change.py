from datetime import timedelta

from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .test_archive_monthly_completion import CompletionCommon


@tagged("post_install", "-at_install")
class TestArchiveCompletionNeedsAChange(RpcMixin, CompletionCommon, HttpCase):
    """"Last Completed" is the server's to say and only a change of the
    file's content completes it: an owner re-sending the values the file
    already holds (a script writing the same text) changes nothing, so it
    must neither move "Last Completed" nor close the completion activity."""

    def _assert_not_completed(self, file):
        self.assertEqual(
            file.content_date.date(), self.today - timedelta(days=45),
            "writing the values the file already holds counted as completing it",
        )
        self.assertTrue(self._open_activities(file), "the completion activity was closed by a write changing nothing")

    def test_rewriting_the_files_own_value(self):
        file = self.files["department"]
        self._age(file, 45)
        self._run()
        self._call(self.owner, file._name, "write", [[file.id], {"products": file.products}])
        self._assert_not_completed(file)

    def test_rewriting_a_documents_value(self):
        file = self.files["department"]
        self._age(file, 45)
        self._run()
        document = file.document_ids[:1]
        self.assertTrue(document)
        self._call(self.owner, document._name, "write", [document.ids, {"name": document.name}])
        self._assert_not_completed(file)
