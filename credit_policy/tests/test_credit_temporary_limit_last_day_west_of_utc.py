from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditExposureCommon

LOS_ANGELES = "America/Los_Angeles"


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitLastDayWestOfUtc(CreditExposureCommon):
    """POLICY.md §4: effective limit = granted limit + approved, *unexpired*
    temporary limits. A temporary limit valid until 26 November counts the
    whole of 26 November in the company's and its users' calendar. In a
    company in Los Angeles, the daily expiry job running at 01:30 UTC on 27
    November (17:30 on 26 November in Los Angeles) must not expire it: the
    credit check of a Los Angeles user still counts it that evening."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = LOS_ANGELES
        cls.env.user.tz = LOS_ANGELES
        cls.limit = cls.env["credit.policy.temporary.limit"].sudo().create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "amount": 500.0,
                "reason": "Year-end shipment",
                "date_from": date(2026, 11, 20),
                "date_to": date(2026, 11, 26),
                "state": "approved",
            }
        )

    def test_expiry_job_keeps_the_limit_through_its_last_local_day(self):
        check = self.env["credit.policy.check"].with_context(tz=LOS_ANGELES)
        scheduler = self.env["credit.policy.temporary.limit"].with_user(self.env.ref("base.user_root")).with_context(
            tz=None
        )
        with freeze_time(datetime(2026, 11, 27, 1, 30)):  # 26 November, 17:30 in Los Angeles
            self.assertEqual(
                check._temporary_limits(self.customer, self.company).get(self.customer.id), 500.0,
                "valid on its last day before the job runs",
            )
            scheduler._cron_expire()  # the daily scheduled action, as OdooBot (no time zone: UTC)
            self.assertEqual(
                check._temporary_limits(self.customer, self.company).get(self.customer.id, 0.0), 500.0,
                f"still 26 November in Los Angeles: the limit counts until the day ends ({self.limit.state})",
            )
