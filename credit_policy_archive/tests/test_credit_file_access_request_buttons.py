from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.credit_policy.tests.common import ButtonAssertions, RpcMixin

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAccessRequestButtons(ButtonAssertions, RpcMixin, CreditFileCommon, HttpCase):
    """The access request form shows Submit to its reader only, Approve and
    Refuse to its level's approver or a Credit Manager but never to the
    reader (four-eyes), Return to the reader or a Credit Manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second_manager = new_test_user(
            cls.env, "cpa_cm2", groups="base.group_user,credit_policy.group_credit_policy_manager"
        )

    def _request(self, reader, level="personal", submit=True):
        request = self._access_request(reader, level)
        if submit:
            request.action_submit()
        return request.with_user(self.env.user)

    def test_only_the_reader_gets_submit(self):
        request = self._request(self.other_salesman, submit=False)
        self.assertFlag(request, "credit_is_reader", allowed=[self.other_salesman], refused=[self.owner])
        self.assertButtonHiddenBy(request, self.owner, "action_submit", "credit_is_reader")
        self.assertRpcRefused(self.owner, request, "action_submit", message="Only the reader submits")
        request.invalidate_recordset()
        self.assertEqual(request.state, "draft")
        request.with_user(self.other_salesman).action_submit()
        self.assertEqual(request.state, "to_approve")

    def test_nobody_gets_the_decision_of_his_own_access_request(self):
        # A Credit Manager decides any request, except his own.
        request = self._request(self.credit_manager)
        self.assertEqual(request.approver_ids, self.dept_manager)
        self.assertFlag(
            request, "credit_can_decide",
            allowed=[self.dept_manager, self.second_manager], refused=[self.credit_manager, self.owner],
        )
        for button in ("action_approve", "action_refuse"):
            self.assertButtonHiddenBy(request, self.credit_manager, button, "credit_can_decide")
            self.assertButtonHiddenBy(request, self.owner, button, "credit_can_decide")
            self.assertRpcRefused(
                self.credit_manager, request, button, message="nobody decides his own access request"
            )
            self.assertRpcRefused(self.owner, request, button, message="decided by its level's approver")
        request.invalidate_recordset()
        self.assertEqual((request.state, request.decided_by_id.id), ("to_approve", False))
        request.with_user(self.dept_manager).action_approve()
        self.assertEqual(request.state, "approved")

    def test_return_for_the_reader_or_a_credit_manager(self):
        request = self._request(self.other_salesman)
        self.assertFlag(
            request, "credit_can_return",
            allowed=[self.other_salesman, self.credit_manager], refused=[self.dept_manager, self.owner],
        )
        self.assertButtonHiddenBy(request, self.dept_manager, "action_return", "credit_can_return")
        self.assertRpcRefused(
            self.dept_manager, request, "action_return", message="Only the reader or a Credit Manager"
        )
        request.invalidate_recordset()
        self.assertEqual(request.state, "to_approve")
        request.with_user(self.other_salesman).action_return()
        self.assertEqual(request.state, "closed")
