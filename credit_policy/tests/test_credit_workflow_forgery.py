from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import CreditGradingCommon, CreditPolicyDeliveryMixin, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditWorkflowForgery(RpcMixin, CreditGradingCommon, HttpCase):
    """A credit decision cannot be forged at creation: neither through the
    values passed, nor ``default_*`` context keys, nor a personal default."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000.0

    def _temporary_limit_vals(self, **vals):
        return {"partner_id": self.customer.id, "amount": 5000.0, "reason": "Big deal", **vals}

    def test_temporary_limit_cannot_be_created_approved(self):
        Limit = self.env["credit.policy.temporary.limit"]
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(self.salesperson, Limit._name, "create", [self._temporary_limit_vals(state="approved")])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(
                self.salesperson, Limit._name, "create", [self._temporary_limit_vals(user_id=self.finance.id)]
            )
        forged_context = {
            "default_state": "approved",
            "default_approved_uid": self.credit_manager.id,
            "default_approved_date": "2026-01-01 00:00:00",
            "default_user_id": self.finance.id,
        }
        limit_id = self._call(
            self.salesperson, Limit._name, "create", [self._temporary_limit_vals()], {"context": forged_context}
        )
        self._set_personal_default(self.salesperson, Limit._name, "state", "approved")
        other_id = self._call(self.salesperson, Limit._name, "create", [self._temporary_limit_vals()])
        for limit in Limit.browse([limit_id, other_id]):
            self.assertRecordValues(
                limit, [{"state": "draft", "approved_uid": False, "approved_date": False, "user_id": self.salesperson.id}]
            )
        self.assertEqual(self._effective_limit(), 1000.0, "nothing was granted")

    def _effective_limit(self):
        check = self.env["credit.policy.check"]
        return check._get_credit_figures(self.customer, self.company)[self.customer.id]["effective_limit"]

    def test_evaluation_cannot_be_created_approved(self):
        Evaluation = self.env["credit.policy.evaluation"]
        vals = {"partner_id": self.customer.id, "kind": "review", "proposed_limit": 100000}
        for forged in ({"state": "approved"}, {"approved_date": "2026-01-01 00:00:00"}, {"trigger": "good_payment"}):
            with self.subTest(forged=forged), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.salesperson, Evaluation._name, "create", [dict(vals, **forged)])
        forged_context = {
            "default_state": "approved",
            "default_approved_date": "2026-01-01 00:00:00",
            "default_submitted_by_id": self.finance.id,
            "default_special_approval_user_id": self.general_manager.id,
        }
        first = self._call(self.salesperson, Evaluation._name, "create", [vals], {"context": forged_context})
        self._set_personal_default(self.salesperson, Evaluation._name, "state", "approved")
        second = self._call(self.salesperson, Evaluation._name, "create", [vals])
        for evaluation in Evaluation.browse([first, second]):
            self.assertRecordValues(
                evaluation,
                [{"state": "draft", "approved_date": False, "submitted_by_id": False, "special_approval_user_id": False}],
            )
        self.assertEqual(self.customer.credit_limit, 1000.0)

    def test_evaluation_figures_are_the_servers_at_creation_and_after(self):
        """The customer's current limit, the scores and the grade decide who
        approves (the General Manager above the company's cap): no client
        sets them, by value, context default or after restarting the chain."""
        Evaluation = self.env["credit.policy.evaluation"]
        vals = {"partner_id": self.customer.id, "kind": "review", "proposed_limit": 1200}
        for forged in ({"current_limit": 1200}, {"grade_id": self.grade["AAA"].id}, {"total_score": 100}):
            with self.subTest(forged=forged), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.salesperson, Evaluation._name, "create", [dict(vals, **forged)])
        created = self._call(
            self.salesperson, Evaluation._name, "create", [vals], {"context": {"default_current_limit": 1200}}
        )
        self.assertEqual(Evaluation.browse(created).current_limit, 1000.0, "the customer's own")
        evaluation = self._submitted_three_step_evaluation()
        evaluation.with_user(self.salesperson).restart_validation()
        for forged in ({"current_limit": 1200}, {"grade_id": self.grade["AAA"].id}):
            with self.subTest(forged=forged), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.salesperson, Evaluation._name, "write", [[evaluation.id], forged])
        self.assertEqual(evaluation.current_limit, 1000.0)

    def test_forged_approval_does_not_lift_the_new_customer_cap(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer", "is_company": True})
        self._call(
            self.salesperson,
            "credit.policy.evaluation",
            "create",
            [{"partner_id": newcomer.id, "kind": "review"}],
            {"context": {"default_state": "approved"}},
        )
        evaluation = self._evaluation(30, 24, 26, partner=newcomer, user=self.salesperson)
        self.assertTrue(evaluation._is_new_customer())

    def test_reviews_only_from_the_approval_machinery(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        regional = self.env.ref("credit_policy.tier_definition_evaluation_regional_manager")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(
                self.salesperson,
                "tier.review",
                "create",
                [
                    {
                        "model": evaluation._name,
                        "res_id": evaluation.id,
                        "definition_id": regional.id,
                        "status": "pending",
                        "reviewer_ids": [(6, 0, [self.salesperson.id])],
                    }
                ],
            )
        # Submitting with forged review defaults: the machinery builds its own.
        self._set_personal_default(self.salesperson, "tier.review", "status", "approved")
        self._call(
            self.salesperson,
            evaluation._name,
            "action_submit",
            [evaluation.ids],
            {"context": {"default_status": "approved", "default_done_by": self.salesperson.id}},
        )
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.state, "to_approve")
        self.assertTrue(evaluation.review_ids)
        self.assertFalse(evaluation.review_ids.done_by)
        self.assertEqual(set(evaluation.review_ids.mapped("status")) - {"waiting", "pending"}, set())
        self.assertNotIn(self.salesperson, evaluation.review_ids.reviewer_ids)

    def test_bypass_keys_are_ignored(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        evaluation.action_submit()
        with self.assertRaisesRegex(JsonRpcException, "ValidationError|AccessError"):
            self._call(
                self.salesperson,
                evaluation._name,
                "write",
                [evaluation.ids, {"proposed_limit": 190000}],
                {"context": {"skip_validation_check": True, "skip_check_state_condition": True}},
            )
        evaluation.invalidate_recordset()
        self.assertNotEqual(evaluation.proposed_limit, 190000)
        # Nor do they make the machinery add steps to a cancelled document.
        evaluation.with_user(self.salesperson).action_cancel()
        self.assertEqual((evaluation.state, len(evaluation.review_ids)), ("cancel", 0))
        self._call(
            self.salesperson, evaluation._name, "request_validation", [evaluation.ids],
            {"context": {"skip_check_state_condition": True}},
        )
        evaluation.invalidate_recordset()
        self.assertFalse(evaluation.review_ids)


@tagged("post_install", "-at_install")
class TestCreditMasterDataDefaults(RpcMixin, CreditGradingCommon, HttpCase):
    """A new customer starts from the company's credit defaults, whatever the
    creator's personal defaults say."""

    def test_personal_default_group_head_does_not_apply(self):
        rich_head = self.env["res.partner"].create({"name": "Rich Group", "is_company": True})
        rich_head.credit_limit = 5000000.0
        self._set_personal_default(self.salesperson, "res.partner", "credit_group_head_id", rich_head.id)
        partner_id = self._call(self.salesperson, "res.partner", "create", [{"name": "Freeloader", "is_company": True}])
        partner = self.env["res.partner"].browse(partner_id)
        self.assertFalse(partner.credit_group_head_id)
        self.assertNotIn(partner, rich_head.credit_group_member_ids)

    def test_personal_default_company_dependent_values_do_not_apply(self):
        self._set_personal_default(self.salesperson, "res.partner", "credit_limit", 900000.0)
        self._set_personal_default(self.salesperson, "res.partner", "credit_grade_id", self.grade["AAA"].id)
        self._set_personal_default(self.salesperson, "res.partner", "credit_term_days", 180)
        partner_id = self._call(self.salesperson, "res.partner", "create", [{"name": "Newcomer", "is_company": True}])
        partner = self.env["res.partner"].browse(partner_id).with_company(self.company)
        self.assertRecordValues(partner, [{"credit_limit": 0.0, "credit_grade_id": False, "credit_term_days": 0}])
        self.assertFalse(partner.credit_history_count)

    def test_context_default_group_head_is_gated(self):
        rich_head = self.env["res.partner"].create({"name": "Rich Group", "is_company": True})
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(
                self.salesperson,
                "res.partner",
                "create",
                [{"name": "Freeloader", "is_company": True}],
                {"context": {"default_credit_group_head_id": rich_head.id}},
            )


@tagged("post_install", "-at_install")
class TestFourEyes(CreditGradingCommon):
    """Nobody decides his own request; one person approves one step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000.0
        cls.second_manager = new_test_user(
            cls.env, "cpg_cm2", groups="base.group_user,credit_policy.group_credit_policy_manager"
        )
        # Regional manager and sales manager in one person.
        cls.double_reviewer = new_test_user(
            cls.env,
            "cpg_double",
            groups="sales_team.group_sale_manager,credit_policy.group_credit_policy_regional_manager",
        )

    def _temporary_limit(self, user):
        limit = self.env["credit.policy.temporary.limit"].with_user(user).create(
            {"partner_id": self.customer.id, "amount": 500.0, "reason": "Big deal"}
        )
        limit.action_request_approval()
        return limit

    def test_requester_cannot_approve_his_temporary_limit(self):
        limit = self._temporary_limit(self.credit_manager)
        with self.assertRaisesRegex(Exception, "nobody decides his own request"):
            limit.with_user(self.credit_manager).validate_tier()
        with self.assertRaisesRegex(Exception, "nobody decides his own request"):
            limit.with_user(self.credit_manager).action_approve()
        self.assertEqual(limit.state, "to_approve")
        limit.with_user(self.second_manager).validate_tier()
        self.assertEqual(limit.state, "approved")

    def test_proposer_cannot_approve_his_evaluation(self):
        # A regional manager who sells too proposes for his own customer.
        proposer = new_test_user(
            self.env,
            "cpg_selling_rm",
            groups="sales_team.group_sale_salesman,credit_policy.group_credit_policy_regional_manager",
        )
        self.customer.user_id = proposer
        evaluation = self._evaluation(30, 24, 26, user=proposer, proposed_limit=150000)
        evaluation.with_user(proposer).action_submit()
        with self.assertRaisesRegex(Exception, "nobody decides his own request"):
            self._validate_as(evaluation, proposer)
        self.assertFalse(evaluation.review_ids.filtered(lambda r: r.status == "approved"))
        first = evaluation.review_ids.sorted("sequence")[0]
        with self.assertRaisesRegex(Exception, "nobody decides his own request"):
            first.with_user(proposer).write({"status": "approved", "done_by": proposer.id})
        self._validate_as(evaluation, self.regional_manager)
        self.assertEqual(first.status, "approved")

    def test_one_person_approves_one_step(self):
        evaluation = self._submitted_three_step_evaluation()
        self._validate_as(evaluation, self.double_reviewer)
        approved = evaluation.review_ids.filtered(lambda r: r.status == "approved")
        self.assertEqual(len(approved), 1, "one click approves one step, not every step of the same person")
        with self.assertRaisesRegex(Exception, "already approved a step"):
            self._validate_as(evaluation, self.double_reviewer)
        second = evaluation.review_ids.sorted("sequence")[1]
        with self.assertRaisesRegex(Exception, "already approved a step"):
            second.with_user(self.double_reviewer).write({"status": "approved", "done_by": self.double_reviewer.id})
        self._validate_as(evaluation, self.sales_manager)
        self._validate_as(evaluation, self.finance)
        self.assertEqual(evaluation.state, "approved")

    def test_an_approval_written_without_its_approver_is_his(self):
        evaluation = self._submitted_three_step_evaluation()
        first, second = evaluation.review_ids.sorted("sequence")[:2]
        first.with_user(self.double_reviewer).write({"status": "approved"})
        self.assertEqual(first.done_by, self.double_reviewer, "recorded in his name")
        self.assertTrue(first.reviewed_date)
        with self.assertRaisesRegex(Exception, "already approved a step"):
            second.with_user(self.double_reviewer).write({"status": "approved"})
        self.assertNotEqual(second.status, "approved")

    def test_steps_are_approved_in_their_order(self):
        evaluation = self._submitted_three_step_evaluation()
        last = evaluation.review_ids.sorted("sequence")[-1]
        self.assertIn(self.finance, last.reviewer_ids)
        with self.assertRaisesRegex(AccessError, "in their order"):
            last.with_user(self.finance).write({"status": "approved"})
        self.assertNotEqual(last.status, "approved")

    def test_a_decided_step_and_its_opinion_stay_as_given(self):
        evaluation = self._submitted_three_step_evaluation()
        first = evaluation.review_ids.sorted("sequence")[0]
        with self.assertRaisesRegex(AccessError, "its own reviewer"):
            first.with_user(self.salesperson).write({"comment": "Approve at once"})
        self._validate_as(evaluation, self.regional_manager, comment="Agreed, within the cap")
        for user in (self.salesperson, self.regional_manager):
            for vals in ({"comment": "Rejected"}, {"status": "pending"}, {"reviewed_date": "2020-01-01 00:00:00"}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    first.with_user(user).write(vals)
        self.assertEqual((first.status, first.comment), ("approved", "Agreed, within the cap"))

    def test_a_temporary_limit_request_is_its_requesters(self):
        draft = self.env["credit.policy.temporary.limit"].with_user(self.salesperson).create(
            {"partner_id": self.customer.id, "amount": 500.0, "reason": "Big deal"}
        )
        as_manager = draft.with_user(self.credit_manager)
        with self.assertRaisesRegex(AccessError, "only its requester"):
            as_manager.write({"amount": 40000.0})
        with self.assertRaisesRegex(AccessError, "only its requester"):
            as_manager.action_request_approval()
        draft.with_user(self.salesperson).action_request_approval()
        other_user = new_test_user(self.env, "cpg_tl_other", groups="credit_policy.group_credit_policy_user")
        with self.assertRaisesRegex(AccessError, "only its requester"):
            draft.with_user(other_user).action_cancel()
        with self.assertRaisesRegex(AccessError, "only its requester"):
            draft.with_user(other_user).restart_validation()
        as_manager.action_cancel()
        self.assertEqual(draft.state, "cancelled")
        with self.assertRaisesRegex(AccessError, "only its requester"):
            as_manager.action_draft()
        draft.with_user(self.salesperson).action_draft()
        self.assertEqual(draft.state, "draft")

    def test_small_company_may_relax_it(self):
        self.company.credit_four_eyes = False
        limit = self._temporary_limit(self.credit_manager)
        limit.with_user(self.credit_manager).validate_tier()
        self.assertEqual(limit.state, "approved")


@tagged("post_install", "-at_install")
class TestFourEyesRelease(CreditPolicyDeliveryMixin, HttpCase):
    """The warehouse user who asked for a release does not grant it, even when
    he is a Credit Controller too."""

    def test_requester_cannot_release(self):
        both = new_test_user(
            self.env, "cp_dlv_both", groups="stock.group_stock_user,credit_policy.group_credit_policy_controller"
        )
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking, both))
        wizard.with_user(both).action_request_release()
        release = picking.credit_release_ids
        self.assertEqual(release.requested_by_id, both)
        with self.assertRaisesRegex(Exception, "nobody decides his own request"):
            self._release(picking, both)
        self.assertEqual(release.state, "requested")
        self._release(picking, self.controller)
        self.assertEqual(release.state, "released")
