from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditPolicyDeliveryCase


@tagged("post_install", "-at_install")
class TestDeliveryReleaseLifecycle(CreditPolicyDeliveryCase):
    """A release covers what the credit department saw, for the delivery it
    was asked for; the ready-deliveries check judges each delivery as if
    validated alone and never undoes a decision. Limit 1,000; a widget at 100."""

    def _check(self):
        self.env["credit.policy.release"].with_user(self.controller).action_check_ready_deliveries()

    def test_one_delivery_the_warehouse_cannot_validate_does_not_stop_the_check(self):
        order_delivery = self._create_sale_delivery(2)
        order_delivery.partner_id = self.env["res.partner"].create({"name": "Someone Else Ltd", "is_company": True})
        blocked = self._create_delivery(15)
        self._check()
        self.assertEqual(blocked.credit_release_ids.state, "blocked", "the others are checked")
        self.assertFalse(order_delivery.credit_release_ids)

    def test_check_judges_each_delivery_alone_and_keeps_its_release(self):
        self.customer.credit_on_hold = True
        first, second = self._create_delivery(5), self._create_delivery(6)
        self._check()
        self._release(second)
        self.assertEqual(second.credit_release_ids.state, "released")
        # Together 1,100 would be over the limit; alone the second is 600, on hold only.
        self._check()
        self.assertEqual(second.credit_release_ids.mapped("state"), ["released"])
        self.assertEqual(first.credit_release_ids.state, "blocked")

    def test_release_covers_the_figures_its_decider_saw(self):
        picking = self._create_delivery(15)
        self._assert_prompt(self._validate(picking))
        release = picking.credit_release_ids
        self.assertEqual((release.amount, release.failure_codes), (1500.0, "over_limit"))
        picking.move_ids.quantity = 40  # 4,000 now, far beyond the tolerance
        with self.assertRaisesRegex(UserError, "changed since its release was requested"):
            self._release(picking)
        self.customer.credit_on_hold = True
        picking.move_ids.quantity = 15
        with self.assertRaisesRegex(UserError, "changed since its release was requested"):
            self._release(picking)
        self._check()  # refreshed with the new figures
        self.assertEqual(release.failure_codes, "credit_hold,over_limit")
        self._release(picking)
        self.assertEqual(release.state, "released")

    def test_cancelled_delivery_closes_its_request(self):
        picking = self._create_delivery(15)
        self._assert_prompt(self._validate(picking))
        release = picking.credit_release_ids
        release.with_user(self.warehouse_user)._request("Customer pays on Friday")
        self.assertTrue(release.activity_ids)
        picking.action_cancel()
        self.assertEqual(release.state, "cleared")
        self.assertFalse(release.activity_ids)

    def test_rejection_stands_until_the_warehouse_validates_again(self):
        picking = self._create_delivery(15)
        self._assert_prompt(self._validate(picking))
        release = picking.credit_release_ids
        release.with_user(self.controller)._reject("Customer owes too much")
        self._check()
        self.assertEqual(picking.credit_release_ids, release, "no new request overnight")
        self.assertEqual(picking.credit_release_state, "rejected")
        self._assert_prompt(self._validate(picking))
        self.assertEqual(len(picking.credit_release_ids), 2, "validating again asks again")

    def test_request_made_for_a_batch_survives_the_check(self):
        first, second = self._create_delivery(6), self._create_delivery(5)
        both = (first | second).with_user(self.warehouse_user)
        self._assert_prompt(both.button_validate())
        release = second.credit_release_ids
        release.with_user(self.warehouse_user)._request("Both go on the same truck")
        self._check()  # alone, each is within the limit
        self.assertEqual(release.state, "requested", "the request for the batch stands")
        self.assertTrue(release.activity_ids)
