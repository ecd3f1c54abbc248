from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditTotalCap(CreditGradingCommon):
    """Seed 002 (授信总额控制): the company caps the sum of granted limits; a
    grant beyond it is the General Manager's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        cls.other.with_company(cls.company).sudo().credit_limit = 100000
        cls.gm_tier = cls.env.ref("credit_policy.tier_definition_evaluation_general_manager")
        cls.gm_credit_manager = new_test_user(
            cls.env,
            "cpg_gm_cm",
            groups="base.group_user,base.group_partner_manager,credit_policy.group_credit_policy_manager,"
            "credit_policy.group_credit_policy_general_manager",
        )

    def _total(self):
        return self.company._credit_total_granted_limits()

    def _submitted(self, limit):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)  # AA, no invoices
        evaluation.proposed_limit = limit
        evaluation.action_submit()
        return evaluation

    def _change_credit(self, user, partner, limit):
        wizard = (
            self.env["credit.policy.limit.change.wizard"]
            .with_user(user)
            .create({"partner_id": partner.id, "credit_limit": limit, "reason": "Volume grows"})
        )
        return wizard.action_apply()

    def test_total_counts_commercial_entities_once(self):
        total = self._total()
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.other.id})
        self.assertEqual(contact.with_company(self.company).sudo().credit_limit, 100000, "a commercial field")
        self.assertEqual(self._total(), total)

    def test_a_group_counts_once_at_its_head(self):
        total = self._total()
        member = self.env["res.partner"].create({"name": "Member Co", "is_company": True})
        member.with_company(self.company).sudo().write({"credit_limit": 30000, "credit_group_head_id": self.other.id})
        self.assertEqual(self._total(), total, "a sub-limit within the head's 100,000")
        self.company.credit_total_limit_cap = total
        # Raising the sub-limit grants nothing more: no General Manager needed.
        self._change_credit(self.credit_manager, member, 60000)
        self.assertEqual(member.with_company(self.company).credit_limit, 60000)

    def test_evaluation_beyond_cap_needs_general_manager(self):
        total = self._total()
        self.company.credit_total_limit_cap = total + 100000
        evaluation = self._submitted(150000)  # below the 200000 threshold
        self.assertTrue(evaluation.needs_general_manager)
        self.assertEqual(evaluation.total_limit_cap, total + 100000)
        self.assertEqual(evaluation.total_limits_before, total)
        self.assertEqual(evaluation.total_limits_after, total + 150000)
        self.assertIn("cap", evaluation.general_manager_reason)
        self.assertIn(self.gm_tier, evaluation.review_ids.definition_id)
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "to_approve")
        self._validate_as(evaluation, self.general_manager)
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(self._total(), total + 150000)

    def test_within_cap_or_off_needs_no_general_manager(self):
        evaluation = self._submitted(150000)
        self.assertFalse(evaluation.needs_general_manager, "no cap: off")
        self.assertNotIn(self.gm_tier, evaluation.review_ids.definition_id)
        self.company.credit_total_limit_cap = self._total() + 150000
        evaluation = self._submitted(150000)
        self.assertFalse(evaluation.needs_general_manager)

    def test_cap_judged_again_at_approval(self):
        self.company.credit_total_limit_cap = self._total() + 150000
        evaluation = self._submitted(150000)
        self.assertNotIn(self.gm_tier, evaluation.review_ids.definition_id)
        # Meanwhile another customer got more credit: the cap is now exceeded.
        self.other.with_company(self.company).sudo().credit_limit = 150000
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "to_approve", "the General Manager's step was added")
        self.assertIn(self.gm_tier, evaluation.review_ids.definition_id)
        self.assertTrue(evaluation.needs_general_manager)
        self._validate_as(evaluation, self.general_manager)
        self.assertEqual(evaluation.state, "approved")

    def test_lowering_a_limit_never_needs_the_cap(self):
        self.customer.with_company(self.company).sudo().credit_limit = 150000
        self.company.credit_total_limit_cap = 1
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        evaluation.proposed_limit = 100000
        self.assertFalse(evaluation.needs_general_manager)

    def test_change_credit_beyond_cap_refused_to_credit_manager(self):
        total = self._total()
        self.company.credit_total_limit_cap = total + 50000
        with self.assertRaisesRegex(UserError, "caps the total credit") as caught:
            self._change_credit(self.credit_manager, self.customer, 60000)
        message = caught.exception.args[0].replace("\u00a0", "")
        for amount in (total + 50000, total, total + 60000):
            self.assertIn(f"{amount:,.2f}", message)
        self.assertEqual(self.customer.with_company(self.company).sudo().credit_limit, 0)
        # Within the cap, and lowering, are the Credit Manager's.
        self._change_credit(self.credit_manager, self.customer, 50000)
        self._change_credit(self.credit_manager, self.other, 10000)
        self.assertEqual(self._total(), total - 40000)

    def test_change_credit_beyond_cap_by_general_manager(self):
        self.company.credit_total_limit_cap = self._total() + 50000
        self._change_credit(self.gm_credit_manager, self.customer, 60000)
        self.assertEqual(self.customer.with_company(self.company).sudo().credit_limit, 60000)

    def test_exposure_cap(self):
        self.company.write({"credit_total_limit_cap": self._total() + 500000, "credit_total_cap_exposure": True})
        self.env["credit.policy.status"].sudo().create(
            {"partner_id": self.other.id, "company_id": self.company.id, "exposure": self._total() + 450000}
        )
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        evaluation.proposed_limit = 100000
        self.assertTrue(evaluation.needs_general_manager)
        self.assertIn("exposure", evaluation.general_manager_reason)
        with self.assertRaisesRegex(UserError, "exposure"):
            self._change_credit(self.credit_manager, self.customer, 100000)

    def test_other_company_limits_do_not_count(self):
        other_company = self.env["res.company"].create({"name": "Credit Cap Other Co"})
        total = self._total()
        self.other.with_company(other_company).sudo().credit_limit = 10**9
        self.assertEqual(self._total(), total)
        self.assertEqual(other_company._credit_total_granted_limits(), 10**9)
        self.company.credit_total_limit_cap = total + 50000
        self._change_credit(self.credit_manager, self.customer, 50000)
        # The other company's cap is its own.
        other_company.credit_total_limit_cap = 10**9 + 1
        self.credit_manager.write({"company_ids": [(4, other_company.id)]})
        wizard = (
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .with_company(other_company)
            .create({"partner_id": self.customer.id, "company_id": other_company.id, "credit_limit": 10, "reason": "x"})
        )
        with self.assertRaisesRegex(UserError, "Credit Cap Other Co"):
            wizard.action_apply()
