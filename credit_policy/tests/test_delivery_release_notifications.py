from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditPolicyDeliveryCase


@tagged("post_install", "-at_install")
class TestDeliveryReleaseNotifications(CreditPolicyDeliveryCase):
    """The clerk who asked for a release hears the decision, with its reason,
    in his own language; the delivery shows it; delivery lists show the block."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.clerk = new_test_user(cls.env, "cp_notify_clerk", groups="stock.group_stock_user", lang="fr_FR")

    def _requested(self, note="The customer pays today."):
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking, self.clerk))
        wizard.with_user(self.clerk).write({"note": note})
        wizard.with_user(self.clerk).action_request_release()
        return picking, picking.credit_release_ids

    def _notice(self, release):
        return release.message_ids.filtered(lambda m: self.clerk.partner_id in m.partner_ids)

    def test_release_notifies_the_requester_with_the_reason(self):
        picking, release = self._requested()
        self._release(picking, reason="Wire transfer received.")
        notice = self._notice(release)
        self.assertEqual(len(notice), 1)
        self.assertIn("Wire transfer received.", notice.body)
        self.assertIn(picking.name, notice.body)
        activity = picking.activity_ids.filtered(lambda a: a.user_id == self.clerk)
        self.assertEqual(len(activity), 1, "the clerk gets a to-do to validate the delivery again")
        self.assertEqual(release.validate_activity_id, activity)
        # Validated under the release: the to-do is done with.
        self.assertIs(self._validate(picking, self.clerk), True)
        self.assertEqual(release.state, "used")
        self.assertFalse(activity.exists())
        self.assertFalse(picking.activity_ids.filtered(lambda a: a.user_id == self.clerk))

    def test_reject_notifies_the_requester_and_the_delivery_shows_the_reason(self):
        picking, release = self._requested()
        release.with_user(self.controller)._reject("Two invoices are 60 days overdue.")
        notice = self._notice(release)
        self.assertEqual(len(notice), 1)
        self.assertIn("Two invoices are 60 days overdue.", notice.body)
        self.assertEqual(picking.credit_release_state, "rejected")
        self.assertEqual(picking.credit_release_reason, "Two invoices are 60 days overdue.")

    def test_notice_is_written_in_the_requesters_language(self):
        # Rendered through the translation machinery with the requester's lang,
        # not the decider's (en_US): the same call made in the decider's
        # language must not be what the requester receives when they differ.
        picking, release = self._requested()
        calls = []
        original = type(release)._notify_requester

        def spy(records):
            calls.append(records.requested_by_id.lang)
            return original(records)

        type(release)._notify_requester = spy
        try:
            release.with_user(self.controller)._reject("Not yet.")
        finally:
            type(release)._notify_requester = original
        self.assertEqual(calls, ["fr_FR"])

    def test_request_message_and_block_show_in_lists(self):
        picking, release = self._requested(note="Payment announced for 3 pm.")
        other = self._create_delivery(1)  # within the limit: no block
        Picking = self.env["stock.picking"].with_user(self.clerk)
        blocked = Picking.search([("credit_release_state", "in", ("blocked", "requested", "rejected"))])
        self.assertIn(picking, blocked)
        self.assertNotIn(other, blocked)
        self.assertNotIn(picking, Picking.search([("credit_release_state", "=", False)]))
        self.assertIn(other, Picking.search([("credit_release_state", "=", False)]))
        self.assertEqual(release.request_note, "Payment announced for 3 pm.")
        arch = self.env["credit.policy.release"].with_user(self.controller).get_views([(False, "list")])
        self.assertIn('name="request_note"', arch["views"]["list"]["arch"])

    def test_prompt_reads_as_label_and_value(self):
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking, self.controller))
        html = str(wizard.summary_html)
        self.assertIn("Delivery Block Customer Ltd", html)
        self.assertIn("exceeds the effective credit limit", html)
        self.assertIn("o_credit_policy_block_figures", html)

    def test_release_from_the_prompt_follows_the_releases_rights(self):
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking, self.clerk))
        self.assertFalse(wizard.with_user(self.clerk).can_release)
        with self.assertRaises(AccessError):
            wizard.with_user(self.clerk).write({"reason": "Let it go."})
            wizard.with_user(self.clerk).action_release()
        self.assertEqual(picking.credit_release_ids.state, "blocked")
        # A controller who validates may release at once, with the reason.
        wizard = self._assert_prompt(self._validate(picking, self.controller))
        wizard = wizard.with_user(self.controller)
        self.assertTrue(wizard.can_release)
        wizard.write({"reason": "Paid this morning."})
        wizard.action_release()
        self.assertRecordValues(
            picking.credit_release_ids, [{"state": "released", "decided_by_id": self.controller.id}]
        )
