from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditScoringLineNotMovedIntoADecidedEvaluation(RpcMixin, CreditGradingCommon, HttpCase):
    """The scoring sheet of a submitted or approved evaluation is what its
    approvers approved: a salesperson may change the lines of his own draft,
    not move one of them into an evaluation that is no longer a draft (RPC,
    as a script would), which would change its scores after the decision."""

    def test_line_of_a_draft_not_moved_into_a_decided_evaluation(self):
        submitted = self._evaluation(30, 24, 26, user=self.salesperson)
        submitted.with_user(self.salesperson).action_submit()
        approved = self.env["credit.policy.evaluation"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "approved")], limit=1
        )
        # A criterion added since: the decided evaluations have no line for it.
        added = self.env["credit.policy.criterion"].create(
            {"name": "Export share", "code": "EXPORT", "max_points": 10.0, "company_id": self.company.id}
        )
        draft = self._evaluation(30, 24, 26, user=self.salesperson)
        line = draft.line_ids.filtered(lambda l: l.criterion_id == added) or self.env[
            "credit.policy.evaluation.line"
        ].with_user(self.salesperson).create({"evaluation_id": draft.id, "criterion_id": added.id})
        before = {evaluation: evaluation.total_score for evaluation in (submitted, approved)}
        for target in (submitted, approved):
            with self.subTest(state=target.state):
                try:
                    with mute_logger("odoo.http"):
                        self._call(
                            self.salesperson, "credit.policy.evaluation.line", "write",
                            [line.ids, {"evaluation_id": target.id, "points": line.criterion_id.max_points}],
                        )
                except JsonRpcException:
                    pass
                line.invalidate_recordset()
                target.invalidate_recordset()
                self.assertEqual(line.evaluation_id, draft, f"a scoring line moved into the {target.state} evaluation")
                self.assertEqual(target.total_score, before[target])
