from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditProposalEditorDoesNotApprove(RpcMixin, CreditGradingCommon, HttpCase):
    """Four eyes (POLICY.md §3): the person who proposes is not the person who
    decides. Whoever changes a draft evaluation's proposal — its limit, its
    term, its scores — proposes it too, with the salesperson who submits it:
    he may not approve it afterwards (RPC, as a script would)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000.0
        # No approval tier applies: a Credit Manager approves directly.
        cls.env["tier.definition"].search([("model", "=", "credit.policy.evaluation")]).active = False

    def _approve(self, evaluation, user):
        """Whether ``user``'s direct approval went through."""
        try:
            with mute_logger("odoo.http"):
                self._call(user, evaluation._name, "action_approve", [evaluation.ids])
        except JsonRpcException:
            pass
        evaluation.invalidate_recordset()
        return evaluation.state == "approved"

    def test_manager_who_raised_the_proposed_limit_does_not_approve_it(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson, proposed_limit=1000)
        self._call(self.credit_manager, evaluation._name, "write", [evaluation.ids, {"proposed_limit": 1200}])
        evaluation.with_user(self.salesperson).action_submit()
        self.assertFalse(self._approve(evaluation, self.credit_manager), "he proposed 1,200 and approved it")
        other_manager = self.credit_manager.copy({"login": "cpg_cm_other", "name": "Other Credit Manager"})
        self.assertTrue(self._approve(evaluation, other_manager))
        self.assertEqual(self.customer.credit_limit, 1200.0)

    def test_manager_who_scored_does_not_approve_it(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson, proposed_limit=1000)
        line = evaluation.line_ids.filtered(lambda l: l.criterion_id == self.criteria["PRODUCT"])
        self._call(
            self.credit_manager, line._name, "write", [line.ids, {"points": line.points + 1}]
        )
        evaluation.with_user(self.salesperson).action_submit()
        self.assertFalse(self._approve(evaluation, self.credit_manager), "he scored it and approved it")

    def test_reading_a_draft_does_not_make_a_proposer(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson, proposed_limit=1000)
        self._call(self.credit_manager, evaluation._name, "read", [evaluation.ids, ["proposed_limit"]])
        evaluation.with_user(self.salesperson).action_submit()
        self.assertTrue(self._approve(evaluation, self.credit_manager))
