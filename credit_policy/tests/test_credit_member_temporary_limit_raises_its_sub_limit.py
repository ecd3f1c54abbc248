from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditMemberTemporaryLimitRaisesItsSubLimit(CreditExposureCommon):
    """POLICY.md §3-4: a temporary limit is granted for special cases such as
    an over-limit shipment, and "effective limit = granted limit + approved,
    unexpired temporary limits". A credit group member with a sub-limit of
    its own that the Credit Manager grants an approved temporary limit of
    500.00 may take 500.00 more on credit: its order of 400.00 above its own
    300.00 must pass, the group's limit having plenty of room."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = cls._credit_customer("Group Head", 10000.0)
        cls.member = cls._credit_customer("Capped Member", 300.0)
        cls.member.credit_group_head_id = cls.head
        cls.company.credit_check_mode = "block"

    def test_approved_temporary_limit_of_the_member_lifts_its_sub_limit(self):
        check = self.env["credit.policy.check"]
        quotation = self._order(self.member, 4, confirm=False)  # 400.00
        self.assertEqual(quotation._credit_evaluate().failure_codes, ["over_sub_limit"])
        self.env["credit.policy.temporary.limit"].sudo().create(
            {
                "partner_id": self.member.id,
                "company_id": self.company.id,
                "amount": 500.0,
                "reason": "Over-limit shipment approved for the member",
                "state": "approved",
            }
        )
        result = check._evaluate(self.member, self.company, amount=400.0)
        self.assertEqual(result.figures["effective_limit"], 10500.0, "the group's limit counts it")
        self.assertFalse(
            result.blocked,
            "the member's approved temporary limit of 500.00 covers its 400.00 on top of its own 300.00: "
            f"still refused with {result.failure_codes}",
        )
