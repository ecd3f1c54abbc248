from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileReadLogIsNotForgedByDefaults(RpcMixin, CreditFileCommon, HttpCase):
    """The read log row says when, by whom, how and under which grant the
    file was read, as the server saw it: the reader's personal defaults
    (ir.default) and default_<field> context keys fill none of it."""

    def _read_with(self, user, context=None):
        file = self.files["department"]
        self._call(user, file._name, "read", [file.ids, ["legal_representative"]], {"context": context or {}})
        return self._logs(file, user)

    def _assert_as_read(self, log, user):
        self.assertEqual(len(log), 1)
        self.assertGreater(log.date, fields.Datetime.now() - timedelta(hours=1), "the read's date is today's")
        self.assertRecordValues(
            log, [{"user_id": user.id, "channel": "read", "content": "credit.policy.archive.file",
                   "access_request_id": False, "confidentiality": "department"}]
        )

    def test_a_personal_default_does_not_backdate_the_read(self):
        for field, value in (("date", "2001-01-01 00:00:00"), ("content", "nothing"), ("channel", "backup")):
            self._set_personal_default(self.colleague, "credit.policy.archive.read.log", field, value)
        self._assert_as_read(self._read_with(self.colleague), self.colleague)

    def test_default_keys_of_the_call_do_not_change_the_row(self):
        context = {"default_date": "2001-01-01 00:00:00", "default_content": "nothing", "default_channel": "backup"}
        self._assert_as_read(self._read_with(self.colleague, context), self.colleague)
