from odoo.tests import HttpCase, tagged

from .common import CreditPolicyDeliveryMixin, use_chinese


@tagged("post_install", "-at_install")
class TestDeliveryBlockTour(CreditPolicyDeliveryMixin, HttpCase):
    def test_warehouse_requests_controller_releases_delivery_validates(self):
        # The warehouse clerk and the credit controller read Chinese.
        use_chinese(self.env, self.warehouse_user, self.controller)
        picking = self._create_delivery(15)
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"

        # The warehouse user clicks Validate, sees the prompt and requests a release.
        self.start_tour(url, "credit_policy_delivery_block_tour", login=self.warehouse_user.login)
        release = picking.credit_release_ids
        self.assertRecordValues(
            release,
            [{"state": "requested", "requested_by_id": self.warehouse_user.id, "failure_codes": "over_limit"}],
        )
        self.assertEqual(picking.state, "assigned")

        # The credit controller releases it from Credit > Blocked Deliveries.
        self.start_tour(
            "/odoo/action-credit_policy.credit_policy_release_action",
            "credit_policy_delivery_release_tour",
            login=self.controller.login,
        )
        self.assertRecordValues(release, [{"state": "released", "decided_by_id": self.controller.id}])
        self.assertIn("电汇", release.reason)

        # Now the delivery validates.
        self.start_tour(url, "credit_policy_delivery_validate_tour", login=self.warehouse_user.login)
        self.assertEqual(picking.state, "done")
        self.assertEqual(release.state, "used")
