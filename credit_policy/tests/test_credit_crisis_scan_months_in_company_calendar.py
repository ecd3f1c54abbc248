from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditExposureCommon

TODAY = date(2026, 7, 15)  # last complete month: June 2026


@tagged("post_install", "-at_install")
class TestCreditCrisisScanMonthsInCompanyCalendar(CreditExposureCommon):
    """POLICY.md §5 (seed 000 H): "demand below X % of average" compares the
    orders of a month with the monthly average. A month is the company's
    month: an order a Shanghai customer places on 1 July at 07:00 (23:00 UTC
    on 30 June) is July's demand, not June's. Counted in June, it hides a
    June that fell to 40 % of the average. The scheduled scan runs as
    OdooBot (no time zone: UTC) and judges the month just ended where the
    company works."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.env.user.tz = "Asia/Shanghai"
        cls.buyer = cls.env["res.partner"].create({"name": "Shanghai Buyer", "is_company": True})

    def _order_on(self, when, amount):
        order = self._order(self.buyer, 1, price=amount)
        order.date_order = when  # UTC, as stored
        return order

    def test_order_of_the_first_morning_is_next_months_demand(self):
        self._order_on(datetime(2026, 1, 10, 4), 1200.0)  # a monthly average of 100 over the 12 months before June
        self._order_on(datetime(2026, 6, 10, 4), 40.0)  # June: 40 % of the average
        self.assertEqual(self.company.credit_crisis_demand_percent, 50.0)
        Signal = self.env["credit.policy.crisis.signal"]

        def kinds():
            return Signal.search([("partner_id", "=", self.buyer.id), ("company_id", "=", self.company.id)]).mapped(
                "kind"
            )

        Signal._scan(self.company, TODAY)
        self.assertIn("demand_drop", kinds(), "June: 40.00, below 50 % of 100.00")
        self._order_on(datetime(2026, 6, 30, 23), 60.0)  # 1 July 2026, 07:00 in Shanghai: July's demand
        Signal._scan(self.company, TODAY)
        self.assertIn(
            "demand_drop", kinds(),
            "an order of 1 July (Shanghai) is not June's demand: June stays at 40.00, below 50 % of 100.00",
        )

    def test_scheduled_scan_judges_the_month_just_ended_in_the_company(self):
        self._order_on(datetime(2026, 1, 10, 4), 1200.0)
        self._order_on(datetime(2026, 6, 10, 4), 100.0)  # June: at the average, no drop
        self._order_on(datetime(2026, 7, 10, 4), 40.0)  # July: well below half the average
        scheduler = self.env["credit.policy.crisis.signal"].with_user(self.env.ref("base.user_root")).with_context(
            tz=None
        )
        with freeze_time(datetime(2026, 7, 31, 17)):  # 1 August, 01:00 in Shanghai
            scheduler._cron_scan()
        kinds = self.env["credit.policy.crisis.signal"].search(
            [("partner_id", "=", self.buyer.id), ("company_id", "=", self.company.id)]
        ).mapped("kind")
        self.assertIn("demand_drop", kinds, "July (40.00) is the month just ended in Shanghai")
