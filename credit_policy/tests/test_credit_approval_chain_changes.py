from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon, CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitChainChanges(CreditExposureCommon):
    """Restarting a temporary limit's validation; a credit group's temporary
    limits add up for the general manager's tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.salesman = new_test_user(cls.env, "chg_sales", groups="sales_team.group_sale_salesman", **users)
        cls.credit_manager = new_test_user(
            cls.env, "chg_credit_mgr", groups="credit_policy.group_credit_policy_manager", **users
        )
        cls.general_manager = new_test_user(
            cls.env, "chg_gm", groups="credit_policy.group_credit_policy_general_manager", **users
        )
        cls.member = cls._credit_customer("Credit Group Member")
        cls.sibling = cls._credit_customer("Credit Group Sibling")
        (cls.member | cls.sibling).credit_group_head_id = cls.customer
        cls.gm_tier = cls.env.ref("credit_policy.tier_definition_temporary_limit_general_manager")

    def _request(self, partner, amount):
        request = (
            self.env["credit.policy.temporary.limit"]
            .with_user(self.salesman)
            .create({"partner_id": partner.id, "amount": amount, "reason": "Big deal"})
        )
        request.action_request_approval()
        return request

    def test_credit_manager_and_salesperson_restart_validation(self):
        request = self._request(self.customer, 500.0)
        self.assertEqual(len(request.review_ids), 1)
        for user in (self.credit_manager, self.salesman):
            with self.subTest(user=user.login):
                request.with_user(user).restart_validation()
                self.assertFalse(request.sudo().review_ids, "the pending steps are gone")
                self.assertEqual(request.state, "to_approve")
                request.with_user(self.salesman).request_validation()
                self.assertEqual(len(request.sudo().review_ids), 1)
        # Deleting the steps directly stays refused.
        with self.assertRaises(AccessError):
            request.review_ids.with_user(self.salesman).unlink()
        request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "approved")

    def test_restart_validation_needs_write_access(self):
        request = self._request(self.customer, 500.0)
        outsider = new_test_user(self.env, "chg_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            request.with_user(outsider).restart_validation()
        self.assertEqual(len(request.sudo().review_ids), 1)

    def test_group_temporary_limits_add_up_for_general_manager(self):
        head_request = self._request(self.customer, 40000.0)
        self.assertNotIn(self.gm_tier, head_request.review_ids.definition_id)
        head_request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(head_request.state, "approved")

        member_request = self._request(self.member, 40000.0)
        self.assertEqual(member_request.cumulative_amount, 80000.0)
        self.assertIn(self.gm_tier, member_request.review_ids.definition_id)
        member_request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(member_request.state, "to_approve", "the general manager has not approved yet")
        member_request.with_user(self.general_manager).validate_tier()
        self.assertEqual(member_request.state, "approved")
        # A sibling member, and the head itself, see the whole group's total.
        sibling_request = self._request(self.sibling, 1000.0)
        self.assertEqual(sibling_request.cumulative_amount, 81000.0)
        head_request.invalidate_recordset(["cumulative_amount"])
        self.assertEqual(head_request.cumulative_amount, 80000.0, "counted once, in its own amount")

    def test_group_split_pending_in_parallel_adds_the_general_manager(self):
        head_request = self._request(self.customer, 40000.0)
        member_request = self._request(self.member, 40000.0)
        self.assertNotIn(self.gm_tier, (head_request | member_request).review_ids.definition_id)
        head_request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(head_request.state, "approved")
        member_request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(member_request.state, "to_approve", "the group now exceeds the threshold")
        self.assertIn(self.gm_tier, member_request.review_ids.definition_id)
        member_request.with_user(self.general_manager).validate_tier()
        self.assertEqual(member_request.state, "approved")


@tagged("post_install", "-at_install")
class TestCreditEvaluationChainChanges(CreditGradingCommon):
    """An evaluation's chain goes on when a tier starts to apply; its salesperson
    can be handed over."""

    def _submitted(self, limit):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)  # AA
        evaluation.proposed_limit = limit
        evaluation.action_submit()
        return evaluation.with_user(self.env.user)

    def test_tier_applying_after_submission_continues_the_chain(self):
        gm_tier = self.env.ref("credit_policy.tier_definition_evaluation_general_manager")
        evaluation = self._submitted(150000)
        self.assertNotIn(gm_tier, evaluation.review_ids.definition_id)
        # The threshold is lowered while the evaluation is being approved.
        gm_tier.definition_domain = "[('proposed_limit', '>', 100000)]"
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "to_approve")
        finance_review = evaluation.review_ids.filtered(
            lambda r: r.definition_id == self.env.ref("credit_policy.tier_definition_evaluation_finance")
        )
        self.assertEqual(finance_review.status, "approved", "the last approval is kept")
        gm_review = evaluation.review_ids.filtered(lambda r: r.definition_id == gm_tier)
        self.assertEqual(gm_review.status, "pending")
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 0)
        self._validate_as(evaluation, self.general_manager)
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 150000)

    def test_credit_manager_reassigns_salesperson_of_approved_evaluation(self):
        evaluation = self._submitted(150000)
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "approved")
        successor = new_test_user(self.env, "cpg_sales_successor", groups="sales_team.group_sale_salesman")
        evaluation.with_user(self.credit_manager).user_id = successor
        self.assertEqual(evaluation.user_id, successor)
        with self.assertRaises(ValidationError):
            evaluation.with_user(self.credit_manager).proposed_limit = 10
