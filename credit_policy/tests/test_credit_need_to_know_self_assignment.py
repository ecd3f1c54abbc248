from contextlib import suppress

from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import RpcMixin
from .test_credit_need_to_know import CreditNeedToKnowCommon


@tagged("post_install", "-at_install")
class TestCreditNeedToKnowSelfAssignment(RpcMixin, CreditNeedToKnowCommon, HttpCase):
    """A salesperson reads the credit case (evaluations, scoring sheet, red
    flags) of his own customers: he does not make another salesperson's
    customer his own to read it (POLICY.md: a regional manager assigns
    customers to salespeople)."""

    def _rows(self, user, model, ids, fields):
        try:
            return self._call(user, model, "read", [ids, fields])
        except JsonRpcException:
            return []

    def test_salesperson_cannot_open_anothers_credit_case_by_taking_the_customer(self):
        self.assertFalse(self._rows(self.salesperson, "credit.policy.red.flag", self.other_flag.ids, ["evidence"]))
        with suppress(JsonRpcException):  # a refusal ends the attack
            self._call(
                self.salesperson, "res.partner", "write", [self.other_customer.ids, {"user_id": self.salesperson.id}]
            )
        flags = self._rows(self.salesperson, "credit.policy.red.flag", self.other_flag.ids, ["evidence"])
        sheet = self._rows(
            self.salesperson, "credit.policy.evaluation.line", self.other_evaluation.line_ids.ids, ["points", "note"]
        )
        evaluations = self._rows(
            self.salesperson, "credit.policy.evaluation", self.other_evaluation.ids, ["total_score", "grade_id"]
        )
        self.assertFalse(
            flags or sheet or evaluations,
            f"{self.salesperson.login} took {self.other_customer.name} from {self.other_salesperson.login} "
            f"and read its credit case: red flags {flags}, evaluations {evaluations}",
        )
