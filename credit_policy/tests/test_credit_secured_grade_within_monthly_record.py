"""A grade granting credit only against collateral (B in the A/B/C table)
gets at most the customer's average monthly shipments and payments, and at
most the collateral (seed 002, B级: "其赊销信用额度必须不超过该客户的平均月
发货量、回款额，同时不超过抵押资产额度"; POLICY.md §2: "limit ≤ average monthly
shipments **and** ≤ collateral value").

Review finding (rev_c): this test fails on the current code. The monthly
ceiling is applied to the proposal from the facts only
(policy.limit_from_facts); a deviation with a reason is held to the grade's
maximum and the collateral only (policy.grant_violations), and does not even
ask the General Manager (_compute_general_manager), so a secured customer
buying 10,000 a month is granted 50,000 by the ordinary chain."""
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .test_credit_limit_from_facts import CreditFactsCommon


@tagged("post_install", "-at_install")
class TestCreditSecuredGradeWithinMonthlyRecord(CreditFactsCommon):
    def test_secured_grade_limit_never_above_the_monthly_record(self):
        self.grade["AA"].collateral_required = True
        self.customer._credit_policy_set_master_data({"credit_collateral_value": 100000}, reason="Mortgage deed")
        self._history((120000, 10))  # 10,000 a month shipped and paid
        evaluation = self._aa()
        self.assertEqual(evaluation.computed_limit, 10000)
        evaluation.write({"proposed_limit": 50000, "limit_deviation_reason": "Big season ahead."})
        try:
            evaluation.action_submit()
        except (UserError, ValidationError):
            return  # refused: the expected behaviour
        self.assertTrue(
            evaluation.needs_general_manager,
            "a secured customer's limit five times his monthly record goes through the ordinary chain",
        )
