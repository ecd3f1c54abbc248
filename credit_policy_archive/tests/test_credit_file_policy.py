from datetime import date

from odoo.tests import BaseCase, tagged

from .. import policy


@tagged("post_install", "-at_install")
class TestCreditFilePolicy(BaseCase):
    """The pure rules of the credit file."""

    def test_levels_read_by_role(self):
        self.assertEqual(policy.levels_read_by_role(True, True, False), {"company", "department", "personal"})
        self.assertEqual(policy.levels_read_by_role(False, True, False), {"company"})
        self.assertEqual(policy.levels_read_by_role(False, False, True), {"company"})
        self.assertEqual(policy.levels_read_by_role(False, False, False), set())
        self.assertEqual(policy.levels_read_in_department(False), {"department"})
        self.assertEqual(policy.levels_read_in_department(True), {"department", "personal"})

    def test_grant_valid_from_lending_to_return_date_included(self):
        start, end = date(2024, 1, 10), date(2024, 1, 20)
        self.assertFalse(policy.grant_is_valid("approved", start, end, date(2024, 1, 9)))
        self.assertTrue(policy.grant_is_valid("approved", start, end, date(2024, 1, 20)))
        self.assertFalse(policy.grant_is_valid("approved", start, end, date(2024, 1, 21)))
        self.assertFalse(policy.grant_is_valid("to_approve", start, end, date(2024, 1, 15)))

    def test_ratios(self):
        ratios = policy.financial_ratios(
            {"current_assets": 300, "inventory": 100, "current_liabilities": 150, "total_assets": 1000,
             "total_liabilities": 600, "revenue": 500, "net_profit": 50, "operating_cash_flow": 75}
        )
        self.assertEqual(ratios["current_ratio"], 2.0)
        self.assertAlmostEqual(ratios["quick_ratio"], 200 / 150)
        self.assertEqual(ratios["debt_ratio"], 60.0)
        self.assertEqual(ratios["net_margin"], 10.0)
        self.assertEqual(ratios["return_on_equity"], 12.5)
        self.assertEqual(policy.financial_ratios({})["current_ratio"], 0.0)

    def test_negative_cash_flow_streak(self):
        self.assertTrue(policy.negative_cash_flow_streak([5, -1, -2, -3]))
        self.assertFalse(policy.negative_cash_flow_streak([-1, -2, -3, 0]))
        self.assertFalse(policy.negative_cash_flow_streak([-1, -2]))

    def test_freshness(self):
        self.assertEqual(policy.full_update_due(date(2024, 1, 31), None), date(2024, 4, 30))
        self.assertEqual(policy.annual_review_due(None, date(2024, 6, 1)), date(2024, 12, 25))
        self.assertEqual(policy.annual_review_due(date(2024, 12, 1), date(2024, 12, 2)), date(2025, 12, 25))
        self.assertEqual(policy.annual_review_due(date(2023, 12, 1), date(2024, 12, 27)), date(2024, 12, 25))
        self.assertEqual(policy.completeness([True, False, True, True]), 75)
