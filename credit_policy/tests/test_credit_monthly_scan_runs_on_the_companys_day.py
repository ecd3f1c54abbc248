from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditMonthlyScanRunsOnTheCompanysDay(CreditExposureCommon):
    """The monthly crisis scan runs as OdooBot (no time zone: UTC). At 01:00
    on 1 August in Shanghai (17:00 on 31 July UTC) July is complete where the
    company works: the scan judges July's demand, not June's (POLICY.md §5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.buyer = cls.env["res.partner"].create({"name": "Shanghai Monthly Buyer", "is_company": True})

    def _order_on(self, when, amount):
        order = self._order(self.buyer, 1, price=amount)
        order.date_order = when  # UTC, as stored
        return order

    def test_scheduled_scan_judges_the_month_just_ended_in_the_company(self):
        self._order_on(datetime(2026, 1, 10, 4), 1200.0)
        self._order_on(datetime(2026, 6, 10, 4), 100.0)  # June: at the average, no drop
        self._order_on(datetime(2026, 7, 10, 4), 40.0)  # July: well below half the average
        self.assertEqual(self.company.credit_crisis_demand_percent, 50.0)
        scheduler = self.env["credit.policy.crisis.signal"].with_user(self.env.ref("base.user_root")).with_context(
            tz=None
        )
        with freeze_time(datetime(2026, 7, 31, 17)):  # 1 August, 01:00 in Shanghai
            scheduler._cron_scan()
        kinds = self.env["credit.policy.crisis.signal"].search(
            [("partner_id", "=", self.buyer.id), ("company_id", "=", self.company.id)]
        ).mapped("kind")
        self.assertIn("demand_drop", kinds, "July (40.00) is the month just ended in Shanghai")
