"""Change Credit may not grant what an evaluation needs the General Manager
for (POLICY.md §3: "large amounts need higher authority", "the limit may rise
by at most a configured percentage per step", separation of duties).

Review finding (rev_c): these tests fail on the current code. The wizard
checks only the grade's bounds and the company's total cap
(res_partner.py ``_credit_policy_set_master_data``), so one Credit Manager,
alone, raises a limit to the grade's maximum: beyond the step cap and above
the General Manager's threshold (200,000) that an evaluation would send to
the General Manager (data/tier_definition_data.xml)."""
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditChangeWithinApprovalAuthority(CreditGradingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.sudo()._credit_policy_set_master_data(
            {"credit_grade_id": cls.grade["AAA"].id, "credit_limit": 100000.0, "credit_term_days": 30},
            reason="Approved evaluation (test set-up)",
        )

    def _change_credit(self, user, **values):
        wizard = (
            self.env["credit.policy.limit.change.wizard"]
            .with_user(user)
            .create({"partner_id": self.customer.id, "reason": "Good customer", **values})
        )
        return wizard.action_apply()

    def test_credit_manager_alone_cannot_raise_beyond_the_step_cap(self):
        # Step cap: 100,000 + 20 % = 120,000; the evaluation route flags 150,000
        # "General Manager Approves". (AccessError and ValidationError are UserErrors.)
        with self.assertRaises(UserError):
            self._change_credit(self.credit_manager, credit_limit=150000.0)

    def test_credit_manager_alone_cannot_grant_above_the_general_manager_threshold(self):
        with self.assertRaises(UserError):
            self._change_credit(self.credit_manager, credit_limit=500000.0)
        self.assertEqual(self.customer.sudo().credit_limit, 100000.0)
