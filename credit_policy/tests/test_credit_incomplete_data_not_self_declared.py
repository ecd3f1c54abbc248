"""A customer whose key data is incomplete is capped like a new customer
(POLICY.md §1, seeds 001/002: "客户资料不全的…不得评为AA级以上"), whatever
the proposer ticks.

Review finding (rev_c): this test fails on the current code. "Key Data
Incomplete" (credit_policy_evaluation.py ``incomplete_data``) is a plain
checkbox of the proposer's: unticked, a customer of whom nothing but a name is
known is graded AA without a special approval. The new-customer cap is read
from the facts (``_is_new_customer``) precisely so that the proposer cannot
lift it; the incomplete-data cap is not."""
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditIncompleteDataNotSelfDeclared(CreditGradingCommon):
    def test_customer_known_by_name_only_is_capped(self):
        bare = self.env["res.partner"].create(
            {"name": "Name Only Trading", "is_company": True, "user_id": self.salesperson.id}
        )
        self._establish_customer(bare)
        self.assertFalse(bare.street or bare.phone or bare.vat or bare.email)
        evaluation = self._evaluation(30, 24, 26, partner=bare, user=self.salesperson)  # 80 points: AA
        self.assertFalse(evaluation.incomplete_data)
        self.assertFalse(evaluation.special_approval)
        self.assertNotIn(
            evaluation.grade_id,
            self.grade["AAA"] | self.grade["AA"],
            "no address, phone, tax id or credit file, yet graded AA without a special approval",
        )
