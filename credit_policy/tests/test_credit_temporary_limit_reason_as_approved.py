from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitReasonAsApproved(RpcMixin, CreditGradingCommon, HttpCase):
    """A temporary limit is approved for the reason its requester gave
    (POLICY.md §3: amount, reason, validity period): once submitted, the
    reason stays what the approvers read, like the amount and the dates (RPC,
    as a script would)."""

    def test_reason_frozen_once_approved(self):
        self.customer.credit_limit = 1000.0
        request = self.env["credit.policy.temporary.limit"].with_user(self.salesperson).create(
            {"partner_id": self.customer.id, "amount": 500.0, "reason": "Trade fair order, paid in 10 days"}
        )
        request.with_user(self.salesperson).action_request_approval()
        request.with_user(self.credit_manager).validate_tier()
        if request.state == "to_approve":
            request.with_user(self.credit_manager).action_approve()
        self.assertEqual(request.state, "approved")
        for user in (self.salesperson, self.credit_manager):
            with self.subTest(user=user.login):
                try:
                    with mute_logger("odoo.http"):
                        self._call(user, request._name, "write", [request.ids, {"reason": "Whatever"}])
                except JsonRpcException:
                    pass
                request.invalidate_recordset()
                self.assertEqual(request.reason, "Trade fair order, paid in 10 days")
