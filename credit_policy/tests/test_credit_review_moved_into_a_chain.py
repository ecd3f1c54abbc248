from contextlib import suppress

from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditReviewMovedIntoAChain(RpcMixin, CreditGradingCommon, HttpCase):
    """A review of another document, decided by its creator, cannot be moved
    into a credit approval chain afterwards: the guard on tier reviews must
    judge what a review becomes, not only what it was.

    base_tier_validation lets any internal user create and write tier reviews
    of non-credit documents; rewriting ``model``/``res_id``/``definition_id``
    of such a review planted an "approved" step (in anybody's name) on the
    attacker's own request once he had restarted its chain (which removes its
    steps and leaves it waiting for approval): a click on Validate then
    granted the request, the chain looking complete.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000.0

    def _plant_approved_review(self, user, record, definition, done_by):
        """``user`` creates an approved review of a non-credit document, then
        moves it into ``record``'s chain for ``definition``."""
        review_id = self._call(
            user,
            "tier.review",
            "create",
            [{"model": "res.partner", "res_id": self.customer.id, "status": "approved", "done_by": done_by.id}],
        )
        self._call(
            user,
            "tier.review",
            "write",
            [[review_id], {"model": record._name, "res_id": record.id, "definition_id": definition.id}],
        )
        return review_id

    def _effective_limit(self):
        check = self.env["credit.policy.check"]
        return check._get_credit_figures(self.customer, self.company)[self.customer.id]["effective_limit"]

    def test_salesperson_cannot_approve_his_temporary_limit_with_a_moved_review(self):
        Limit = self.env["credit.policy.temporary.limit"]
        limit = Limit.browse(
            self._call(
                self.salesperson,
                Limit._name,
                "create",
                [{"partner_id": self.customer.id, "amount": 500.0, "reason": "Big deal"}],
            )
        )
        definition = self.env.ref("credit_policy.tier_definition_temporary_limit_credit_manager")
        with suppress(JsonRpcException):  # any refusal along the way ends the attack
            self._call(self.salesperson, Limit._name, "action_request_approval", [limit.ids])
            # Restarting removes the step and leaves the request waiting for approval.
            self._call(self.salesperson, Limit._name, "restart_validation", [limit.ids])
            self._plant_approved_review(self.salesperson, limit, definition, self.credit_manager)
            self._call(self.salesperson, Limit._name, "validate_tier", [limit.ids])
        limit.invalidate_recordset()
        reviews = self.env["tier.review"].search([("model", "=", Limit._name), ("res_id", "=", limit.id)])
        self.assertFalse(
            reviews.filtered(lambda r: r.status == "approved"),
            "no approved step the credit manager never gave",
        )
        self.assertNotEqual(limit.state, "approved", "the salesperson granted his own temporary limit")
        self.assertEqual(self._effective_limit(), 1000.0, "nothing was granted")

    def test_salesperson_cannot_approve_his_evaluation_with_moved_reviews(self):
        """Submitted, then restarted by its proposer (which removes its steps
        and leaves it waiting for approval), the evaluation receives moved
        reviews for every tier that applies, and the proposer validates it."""
        evaluation = self._submitted_three_step_evaluation()
        definitions = evaluation.review_ids.definition_id
        approvers = {
            self.env.ref("credit_policy.tier_definition_evaluation_regional_manager"): self.regional_manager,
            self.env.ref("credit_policy.tier_definition_evaluation_sales_manager"): self.sales_manager,
            self.env.ref("credit_policy.tier_definition_evaluation_finance"): self.finance,
            self.env.ref("credit_policy.tier_definition_evaluation_general_manager"): self.general_manager,
        }
        with suppress(JsonRpcException):  # any refusal along the way ends the attack
            self._call(self.salesperson, evaluation._name, "restart_validation", [evaluation.ids])
            for definition in definitions:
                self._plant_approved_review(self.salesperson, evaluation, definition, approvers[definition])
            self._call(self.salesperson, evaluation._name, "validate_tier", [evaluation.ids])
        evaluation.invalidate_recordset()
        self.customer.invalidate_recordset()
        approved = evaluation.sudo().review_ids.filtered(lambda r: r.status == "approved")
        self.assertFalse(approved, "no reviewer approved anything: no approved step may stand in the chain")
        self.assertNotEqual(evaluation.state, "approved", "the salesperson approved his own evaluation")
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 1000.0, "nothing was granted")
