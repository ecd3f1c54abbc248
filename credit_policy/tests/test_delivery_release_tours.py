from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditPolicyDeliveryMixin, use_chinese


@tagged("post_install", "-at_install")
class TestDeliveryReleaseTours(CreditPolicyDeliveryMixin, HttpCase):
    """Credit staff release blocked deliveries in the browser: the manager from
    the warehouse prompt, the controller from the blocked list; all of them
    read Chinese."""

    def test_credit_manager_releases_from_the_prompt(self):
        manager = new_test_user(
            self.env,
            "cp_tour_cm",
            groups="credit_policy.group_credit_policy_manager,stock.group_stock_user",
        )
        use_chinese(self.env, manager)
        picking = self._create_delivery(15)
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "credit_policy_delivery_prompt_release_tour",
            login=manager.login,
        )
        release = picking.credit_release_ids
        self.assertRecordValues(release, [{"state": "released", "decided_by_id": manager.id}])
        self.assertIn("电汇", release.reason)
        self.assertEqual(picking.state, "assigned", "released, not validated: the user validates again")

    def test_controller_releases_from_the_blocked_list(self):
        use_chinese(self.env, self.warehouse_user, self.controller)
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking))
        wizard.with_user(self.warehouse_user).write({"note": "客户通知今天付款。"})
        wizard.with_user(self.warehouse_user).action_request_release()
        self.start_tour(
            "/odoo/action-credit_policy.credit_policy_release_action",
            "credit_policy_blocked_list_release_tour",
            login=self.controller.login,
        )
        release = picking.credit_release_ids
        self.assertRecordValues(release, [{"state": "released", "decided_by_id": self.controller.id}])
        # The clerk is told, in his inbox.
        notice = release.message_ids.filtered(lambda m: self.warehouse_user.partner_id in m.partner_ids)
        self.assertTrue(notice)
        self.assertIn("银行已确认到账", notice[0].body)
