from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .. import policy
from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileMissedAnnualReview(CreditFileCommon):
    """POLICY.md §6 (seed 000): each customer's transactions are reviewed
    every year before 25 December. A file last reviewed in December 2025
    missed its 2026 review: on 5 January 2027 it is overdue (stale, and its
    review deadline is past), not due only on 25 December 2027, a year after
    the review it missed."""

    def test_review_missed_last_year_is_still_overdue_in_january(self):
        self.assertLess(
            policy.annual_review_due(date(2025, 12, 20), date(2027, 1, 5)), date(2027, 1, 5),
            "the 2026 review was never made: its deadline has passed",
        )
        file = self.files["personal"]
        file.sudo().write({"last_review_date": date(2025, 12, 20), "last_update_date": date(2026, 12, 1)})
        File = self.env["credit.policy.archive.file"].with_user(self.owner)
        with freeze_time(datetime(2027, 1, 5, 12)):
            file.invalidate_recordset()
            self.assertTrue(
                File.search([("id", "=", file.id), ("is_stale", "=", True)]),
                "no annual review in 2026: the file is stale in January 2027",
            )
