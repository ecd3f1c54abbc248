from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.credit_policy.tools import user_date

from .common import CreditFileCommon

#: The user's own time zone (his preferences), UTC+14.
USER_TZ = "Pacific/Kiritimati"
#: The one his client sends instead, UTC-12: one or two days earlier at any hour.
FORGED_TZ = "Etc/GMT+12"


@tagged("post_install", "-at_install")
class TestCreditFileReaderTimeZone(CreditFileCommon):
    """Grants and documents count their days in the user's own time zone,
    not in the one his client sends: a forged time zone moves no day."""

    def setUp(self):
        super().setUp()
        self.other_salesman.tz = USER_TZ
        self.salesperson.tz = USER_TZ
        self.today = user_date(self.env["res.users"], self.other_salesman)

    def _approved_request(self):
        request = self.env["credit.policy.archive.access.request"].with_user(self.other_salesman).create(
            {
                "partner_id": self.files["personal"].partner_id.id,
                "purpose": "Audit",
                "date_from": self.today,
                "date_to": self.today + timedelta(days=3),
            }
        )
        request.action_submit()
        request.with_user(self.dept_manager).action_approve()
        return request

    def test_a_forged_time_zone_does_not_keep_a_lapsed_grant(self):
        file = self.files["personal"]
        request = self._approved_request()
        yesterday = self.today - timedelta(days=1)
        # (an approved request's dates cannot be changed: move them in SQL)
        self.env.cr.execute(
            "UPDATE credit_policy_archive_access_request SET date_from = %s, date_to = %s WHERE id = %s",
            (yesterday - timedelta(days=5), yesterday, request.id),
        )
        self.env.invalidate_all()
        File = self.env["credit.policy.archive.file"].with_user(self.other_salesman).with_context(tz=FORGED_TZ)
        self.assertFalse(File.search([("id", "=", file.id)]))
        with self.assertRaises(AccessError):
            File.browse(file.id).read(["legal_representative"])
        self.assertFalse(request.with_user(self.other_salesman).with_context(tz=FORGED_TZ).is_valid)

    def test_a_file_is_returned_on_the_readers_day(self):
        request = self._approved_request()
        request.with_user(self.other_salesman).with_context(tz=FORGED_TZ).action_return()
        self.assertEqual(request.closed_date, self.today)

    def test_a_forged_time_zone_does_not_keep_an_expired_document_valid(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        evaluation.grade_id.sudo().required_document_type_ids = self.licence
        self.env["credit.policy.archive.file"].with_user(self.salesperson).create(
            {
                "partner_id": self.customer.id,
                "document_ids": [
                    Command.create(
                        {
                            "name": "Licence",
                            "document_type_id": self.licence.id,
                            "expiry_date": user_date(self.env["res.users"], self.salesperson) - timedelta(days=1),
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "expired"):
            evaluation.with_user(self.salesperson).with_context(tz=FORGED_TZ).action_submit()
        self.assertEqual(evaluation.state, "draft")
