from odoo import fields
from odoo.tests import tagged

from odoo.addons.credit_policy import policy

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditThresholdsReachedExactly(CreditExposureCommon):
    """Band boundaries in money (POLICY.md §4): "at 90 % the salesperson must
    obtain a repayment plan"; "overdue amount may not exceed X % of the
    receivable". A figure exactly at a threshold is at it, whatever binary
    floating point makes of the division: 901.80 of a 1,002.00 limit is 90 %
    (alert band, repayment plan), 300.60 overdue of 1,002.00 receivables is
    30 % and does not exceed a 30 % maximum."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.check = cls.env["credit.policy.check"]

    def test_exactly_ninety_percent_is_the_alert_band(self):
        self.customer.with_company(self.company).credit_limit = 1002.0
        self._overdue_invoice(901.80, 0)
        figures = self._figures(self.customer)
        self.assertEqual((figures["exposure"], figures["effective_limit"]), (901.80, 1002.0))
        self.assertEqual(
            figures["band"], policy.BAND_ALERT,
            "901.80 / 1,002.00 is exactly 90 %: a repayment plan is needed (alert band)",
        )

    def test_overdue_share_exactly_at_the_maximum_does_not_block(self):
        self.company.write(
            {
                "credit_check_mode": "block",
                "credit_max_overdue_percent": 30.0,
                "credit_max_overdue_days": 0,
                "credit_overdue_tolerance_amount": 0.0,
            }
        )
        self.customer.with_company(self.company).sudo().credit_limit = 100000.0
        self._overdue_invoice(300.60, 10)
        self._overdue_invoice(701.40, 0)
        figures = self._figures(self.customer)
        self.assertEqual((figures["overdue_amount"], figures["receivable"]), (300.60, 1002.0))
        result = self.check._evaluate(self.customer, self.company)
        self.assertNotIn(
            "overdue_share", result.failure_codes,
            "300.60 overdue of 1,002.00 receivables is 30 %, which does not exceed the 30 % maximum",
        )
