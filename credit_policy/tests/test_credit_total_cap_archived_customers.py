from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditTotalCapArchivedCustomers(CreditGradingCommon):
    """Seed 002 (授信总额控制, POLICY.md §2): the company caps the total credit
    granted; beyond it only the General Manager grants. Archiving a customer
    does not take back its limit (its open receivables and orders still count
    against it, and unarchiving it brings it back as it was): the total still
    counts it, or a Credit Manager archives a customer, raises another one's
    limit into the room that seems free, unarchives the first, and the
    company has granted more than its cap without the General Manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big = cls.env["res.partner"].create({"name": "Big Customer", "is_company": True})
        cls.big.with_company(cls.company).sudo().credit_limit = 100000
        cls.dormant = cls.env["res.partner"].create({"name": "Dormant Customer", "is_company": True})
        cls.dormant.with_company(cls.company).sudo().credit_limit = 50000

    def test_archived_customer_limit_still_counts_against_the_cap(self):
        total = self.company._credit_total_granted_limits()
        self.company.credit_total_limit_cap = total  # the cap is reached
        self.dormant.active = False
        self.assertEqual(
            self.company._credit_total_granted_limits(), total,
            "the archived customer's 50,000 limit is still granted",
        )
        wizard = (
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.big.id, "credit_limit": 150000, "reason": "Volume grows"})
        )
        with self.assertRaisesRegex(UserError, "caps the total credit"):
            wizard.action_apply()
