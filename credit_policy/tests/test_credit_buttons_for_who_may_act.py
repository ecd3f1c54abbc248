from odoo.tests import HttpCase, new_test_user, tagged

from .common import ButtonAssertions, CreditGradingCommon, CreditPolicyDeliveryMixin, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditApprovalButtons(ButtonAssertions, RpcMixin, CreditGradingCommon, HttpCase):
    """Temporary limits and evaluations: requester-only, proposer-only,
    four-eyes and write-access buttons hidden from whom the server refuses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000.0
        cls.other_salesperson = new_test_user(cls.env, "cpb_sales2", groups="sales_team.group_sale_salesman")
        cls.second_manager = new_test_user(
            cls.env, "cpb_cm2", groups="base.group_user,credit_policy.group_credit_policy_manager"
        )
        cls.officer = new_test_user(
            cls.env, "cpb_officer", groups="base.group_user,credit_policy.group_credit_policy_officer"
        )

    def _limit(self, user, submit=True):
        limit = self.env["credit.policy.temporary.limit"].with_user(user).create(
            {"partner_id": self.customer.id, "amount": 500.0, "reason": "Big deal"}
        )
        if submit:
            limit.action_request_approval()
        return limit.with_user(self.env.user)

    # ------------------------------------------------------------------
    # Temporary limits
    # ------------------------------------------------------------------
    def test_only_the_requester_gets_submit_and_reset(self):
        draft = self._limit(self.salesperson, submit=False)
        self.assertFlag(
            draft, "credit_is_requester", allowed=[self.salesperson],
            refused=[self.other_salesperson, self.credit_manager],
        )
        for button in ("action_request_approval", "action_draft"):
            self.assertButtonHiddenBy(draft, self.other_salesperson, button, "credit_is_requester")
        self.assertRpcRefused(self.other_salesperson, draft, "action_request_approval", message="only its requester")
        self.assertRpcRefused(self.credit_manager, draft, "action_request_approval", message="only its requester")
        # Nor do they change the request they may not submit.
        self.assertRpcRefused(self.other_salesperson, draft, "write", [draft.ids, {"amount": 900.0}], message="only its requester")
        draft.invalidate_recordset()
        self.assertEqual((draft.state, draft.amount), ("draft", 500.0))
        # Cancelled by a Credit Manager: reopening it is the requester's again.
        draft.with_user(self.salesperson).action_request_approval()
        draft.with_user(self.credit_manager).action_cancel()
        self.assertFlag(
            draft, "credit_is_requester", allowed=[self.salesperson],
            refused=[self.other_salesperson, self.credit_manager],
        )
        self.assertRpcRefused(self.credit_manager, draft, "action_draft", message="only its requester")
        draft.invalidate_recordset()
        self.assertEqual(draft.state, "cancelled")
        draft.with_user(self.salesperson).action_draft()
        self.assertEqual(draft.state, "draft")

    def test_cancel_and_restart_for_the_requester_or_a_credit_manager(self):
        limit = self._limit(self.salesperson)
        for flag in ("credit_can_cancel", "credit_can_restart"):
            self.assertFlag(
                limit, flag, allowed=[self.salesperson, self.credit_manager], refused=[self.other_salesperson]
            )
        self.assertButtonHiddenBy(limit, self.other_salesperson, "action_cancel", "credit_can_cancel")
        self.assertButtonHiddenBy(limit, self.other_salesperson, "restart_validation", "credit_can_restart")
        self.assertRpcRefused(self.other_salesperson, limit, "action_cancel", message="only its requester")
        self.assertRpcRefused(self.other_salesperson, limit, "restart_validation", message="only its requester")
        limit.invalidate_recordset()
        self.assertEqual(limit.state, "to_approve")
        self.assertTrue(limit.review_ids)
        # Approved, it is only a Credit Manager's to cancel.
        limit.with_user(self.credit_manager).validate_tier()
        self.assertEqual(limit.state, "approved")
        self.assertFlag(
            limit, "credit_can_cancel", allowed=[self.credit_manager],
            refused=[self.salesperson, self.other_salesperson],
        )
        self.assertRpcRefused(self.salesperson, limit, "action_cancel", message="Only a Credit Manager cancels")
        limit.invalidate_recordset()
        self.assertEqual(limit.state, "approved")
        limit.with_user(self.credit_manager).action_cancel()
        self.assertEqual(limit.state, "cancelled")

    def test_a_credit_manager_gets_no_approval_of_his_own_temporary_limit(self):
        limit = self._limit(self.credit_manager)
        self.assertTrue(limit.with_user(self.credit_manager).can_review, "he reviews the credit manager's step")
        self.assertFlag(limit, "credit_can_decide", allowed=[self.second_manager], refused=[self.credit_manager])
        for button in ("action_approve", "validate_tier"):
            self.assertButtonHiddenBy(limit, self.credit_manager, button, "credit_can_decide")
        self.assertRpcRefused(self.credit_manager, limit, "validate_tier", message="nobody decides his own request")
        self.assertRpcRefused(self.credit_manager, limit, "action_approve", message="nobody decides his own request")
        limit.invalidate_recordset()
        self.assertEqual(limit.state, "to_approve")
        limit.with_user(self.second_manager).validate_tier()
        self.assertEqual(limit.state, "approved")

    # ------------------------------------------------------------------
    # Evaluations
    # ------------------------------------------------------------------
    def _validate_by_rpc(self, user, evaluation, message):
        """Validate as the form does, the button then the opinion wizard: refused."""
        action = self._call(user, evaluation._name, "validate_tier", [evaluation.ids])
        wizard_id = self._call(
            user, "comment.wizard", "create", [{"comment": "Agreed"}], {"context": action["context"]}
        )
        self.assertRpcRefused(user, self.env["comment.wizard"].browse(wizard_id), "add_comment", message=message)

    def test_nobody_gets_the_approval_of_his_own_evaluation(self):
        # A regional manager who sells too proposes for his own customer.
        proposer = new_test_user(
            self.env, "cpb_selling_rm",
            groups="sales_team.group_sale_salesman,credit_policy.group_credit_policy_regional_manager",
        )
        self.customer.user_id = proposer
        evaluation = self._evaluation(30, 24, 26, user=proposer, proposed_limit=1200)
        evaluation.with_user(proposer).action_submit()
        self.assertTrue(evaluation.with_user(proposer).can_review, "he reviews the first step")
        self.assertFlag(evaluation, "credit_can_decide", allowed=[self.regional_manager], refused=[proposer])
        self.assertButtonHiddenBy(evaluation, proposer, "validate_tier", "credit_can_decide")
        self._validate_by_rpc(proposer, evaluation, message="nobody decides his own request")
        self.assertFalse(evaluation.review_ids.filtered(lambda r: r.status == "approved"))
        self._validate_as(evaluation, self.regional_manager)
        self.assertEqual(len(evaluation.review_ids.filtered(lambda r: r.status == "approved")), 1)

    def test_one_person_gets_the_approval_of_one_step(self):
        double_reviewer = new_test_user(
            self.env, "cpb_double",
            groups="sales_team.group_sale_manager,credit_policy.group_credit_policy_regional_manager",
        )
        evaluation = self._submitted_three_step_evaluation()
        self.assertFlag(evaluation, "credit_can_decide", allowed=[double_reviewer, self.sales_manager])
        self._validate_as(evaluation, double_reviewer)
        self.assertTrue(evaluation.with_user(double_reviewer).can_review, "he reviews the second step too")
        self.assertFlag(evaluation, "credit_can_decide", allowed=[self.sales_manager], refused=[double_reviewer])
        self.assertButtonHiddenBy(evaluation, double_reviewer, "validate_tier", "credit_can_decide")
        self._validate_by_rpc(double_reviewer, evaluation, message="already approved a step")
        evaluation.invalidate_recordset()
        self.assertEqual(len(evaluation.review_ids.filtered(lambda r: r.status == "approved")), 1)

    def test_a_credit_manager_gets_no_direct_approval_of_his_own_evaluation(self):
        evaluation = self._evaluation(30, 24, 26, user=self.credit_manager, proposed_limit=1200)
        evaluation.with_user(self.credit_manager).action_submit()
        self.assertFlag(
            evaluation, "credit_can_decide", allowed=[self.second_manager], refused=[self.credit_manager]
        )
        self.assertButtonHiddenBy(evaluation, self.credit_manager, "action_approve", "credit_can_decide")
        self.assertRpcRefused(self.credit_manager, evaluation, "action_approve", message="nobody decides his own request")
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.state, "to_approve")

    def test_read_only_credit_staff_get_no_submit(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson, proposed_limit=1200)
        self.assertFlag(
            evaluation, "credit_can_edit", allowed=[self.salesperson, self.credit_manager], refused=[self.officer]
        )
        for button in ("action_submit", "action_refresh_red_flags"):
            self.assertButtonHiddenBy(evaluation, self.officer, button, "credit_can_edit")
            self.assertRpcRefused(self.officer, evaluation, button)
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.state, "draft")
        evaluation.with_user(self.salesperson).action_submit()
        self.assertEqual(evaluation.state, "to_approve")

    def test_only_a_credit_manager_gets_cancel_of_a_red_flag_review(self):
        controller = new_test_user(
            self.env, "cpb_ctrl", groups="base.group_user,credit_policy.group_credit_policy_controller"
        )
        flag = self.env["credit.policy.red.flag"].with_user(controller).create(
            {
                "partner_id": self.customer.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_bounced_cheque").id,
                "evidence": "Cheque no. 4711 returned by the bank",
            }
        )
        evaluation = flag.evaluation_id
        self.assertTrue(evaluation.with_user(self.salesperson).is_proposer, "the customer's salesperson proposes it")
        self.assertFlag(
            evaluation, "credit_can_cancel", allowed=[self.credit_manager], refused=[self.salesperson]
        )
        self.assertButtonHiddenBy(evaluation, self.salesperson, "action_cancel", "credit_can_cancel")
        self.assertRpcRefused(self.salesperson, evaluation, "action_cancel", message="only a Credit Manager cancels it")
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.state, "draft")
        evaluation.with_user(self.credit_manager).action_cancel()
        self.assertEqual(evaluation.state, "cancel")


@tagged("post_install", "-at_install")
class TestCreditReleaseButtons(ButtonAssertions, RpcMixin, CreditPolicyDeliveryMixin, HttpCase):
    """Blocked deliveries: Release shown neither to the requester (four-eyes)
    nor, above the manager threshold, to a Credit Controller."""

    def _release_by_rpc(self, user, release, message):
        """Release through the release wizard, as its form does: refused."""
        wizard_id = self._call(
            user, "credit.policy.release.wizard", "create",
            [{"release_ids": [(6, 0, release.ids)], "decision": "release", "reason": "Paid."}],
        )
        wizard = self.env["credit.policy.release.wizard"].browse(wizard_id)
        self.assertRpcRefused(user, wizard, "action_confirm", message=message)

    def test_the_requester_gets_no_release(self):
        both = new_test_user(
            self.env, "cpb_dlv_both", groups="stock.group_stock_user,credit_policy.group_credit_policy_controller"
        )
        picking = self._create_delivery(15)
        self._assert_prompt(self._validate(picking, both)).with_user(both).action_request_release()
        release = picking.credit_release_ids
        self.assertEqual((release.state, release.requested_by_id), ("requested", both))
        self.assertFlag(release, "credit_can_decide", allowed=[self.controller], refused=[both])
        self.assertButtonHiddenBy(release, both, "action_open_release_wizard", "credit_can_decide")
        # The prompt of his next validation offers no "Release now" either.
        prompt = self._assert_prompt(self._validate(picking, both))
        self.assertFlag(prompt, "can_release", refused=[both])
        self._release_by_rpc(both, release, message="nobody decides his own request")
        release.invalidate_recordset()
        self.assertEqual(release.state, "requested")
        self._release(picking, self.controller)
        self.assertEqual(release.state, "released")

    def test_a_controller_gets_no_release_above_the_manager_threshold(self):
        self.company.credit_release_manager_amount = 1000.0
        picking = self._create_delivery(15)  # 1,500
        prompt = self._assert_prompt(self._validate(picking, self.controller))
        release = picking.credit_release_ids
        self.assertTrue(release.manager_required)
        self.assertFlag(release, "credit_can_decide", allowed=[self.manager], refused=[self.controller])
        self.assertFlag(prompt, "can_release", refused=[self.controller])
        self.assertButtonHiddenBy(release, self.controller, "action_open_release_wizard", "credit_can_decide")
        prompt.with_user(self.controller).write({"reason": "Paid."})
        self.assertRpcRefused(self.controller, prompt, "action_release", message="Only a Credit Manager")
        self._release_by_rpc(self.controller, release, message="Only a Credit Manager")
        release.invalidate_recordset()
        self.assertEqual(release.state, "blocked")
        self._release(picking, self.manager)
        self.assertEqual(release.state, "released")
