from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .test_archive_monthly_completion import CompletionCommon


@tagged("post_install", "-at_install")
class TestArchiveCompletionIsDoneByCompleting(RpcMixin, CompletionCommon, HttpCase):
    """The monthly completion activity is done when the file is completed,
    and only then: its owner neither marks it done by hand (a completion on
    record for a file left as it was) nor postpones it (an open reminder
    that never falls due, and no new one)."""

    def setUp(self):
        super().setUp()
        self.file = self.files["department"]
        self._age(self.file, 45)
        self._run()
        self.activity = self._open_activities(self.file)
        self.assertEqual(len(self.activity), 1)

    def test_owner_cannot_mark_it_done_without_completing_the_file(self):
        for method, kwargs in (("action_feedback", {"feedback": "Done"}), ("action_done", {})):
            with self.subTest(method=method), self.assertRaises(JsonRpcException):
                self._call(self.owner, "mail.activity", method, [self.activity.ids], kwargs)
        self.assertEqual(self._open_activities(self.file), self.activity)

    def test_owner_cannot_postpone_it(self):
        later = fields.Date.to_string(self.today + timedelta(days=365))
        with self.assertRaises(JsonRpcException):
            self._call(self.owner, "mail.activity", "write", [self.activity.ids, {"date_deadline": later}])
        self.assertEqual(self.activity.date_deadline, self.today)

    def test_completing_the_file_still_marks_it_done(self):
        self._call(self.owner, self.file._name, "write", [self.file.ids, {"transaction_status": "Pays on time"}])
        self.assertFalse(self._open_activities(self.file))
