from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditSpecialApprovalNotDefaulted(RpcMixin, CreditGradingCommon, HttpCase):
    """A special approval (特批) lifts the new-customer cap: only a Credit
    Manager or the General Manager records one. A salesperson cannot record
    it at creation through a ``default_special_approval`` context key or his
    own ``ir.default`` (RPC, as a script would)."""

    def _create(self, context=None):
        newcomer = self.env["res.partner"].create({"name": "Special Newcomer", "is_company": True})
        vals = {"partner_id": newcomer.id, "kind": "new", "special_approval_note": "Big group behind it"}
        try:
            with mute_logger("odoo.http"):
                created = self._call(
                    self.salesperson, "credit.policy.evaluation", "create", [vals], {"context": context or {}}
                )
        except JsonRpcException:
            return self.env["credit.policy.evaluation"]
        return self.env["credit.policy.evaluation"].browse(created)

    def _assert_not_specially_approved(self, evaluation):
        if evaluation:
            self.assertRecordValues(evaluation, [{"special_approval": False, "special_approval_user_id": False}])

    def test_context_default(self):
        self._assert_not_specially_approved(self._create({"default_special_approval": True}))

    def test_personal_default(self):
        self._set_personal_default(self.salesperson, "credit.policy.evaluation", "special_approval", True)
        self._assert_not_specially_approved(self._create())

    def test_credit_manager_records_it(self):
        evaluation = self._evaluation(30, 24, 26, partner=self.env["res.partner"].create({"name": "N2"}))
        evaluation.with_user(self.credit_manager).write(
            {"special_approval": True, "special_approval_note": "Group guarantee"}
        )
        self.assertEqual(evaluation.special_approval_user_id, self.credit_manager)
