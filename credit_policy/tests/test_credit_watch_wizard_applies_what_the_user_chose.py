from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditWatchWizardAppliesWhatTheUserChose(CreditExposureCommon):
    """Put on Watch does what its title says: if another Credit Controller
    put the customer on watch between opening the dialog and applying it, the
    apply must not turn into Lift Watch (the wizard's ``lift`` is recomputed
    at every request, not kept from when it was opened)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(
            cls.env, "cpw_stale_a", groups="base.group_user,credit_policy.group_credit_policy_controller"
        )
        cls.other_controller = new_test_user(
            cls.env, "cpw_stale_b", groups="base.group_user,credit_policy.group_credit_policy_controller"
        )

    def test_put_on_watch_opened_before_another_put_it_on_watch_does_not_lift(self):
        action = self.customer.with_user(self.controller).action_open_credit_watch_wizard()
        self.assertEqual(action["name"], "Put on Watch")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.controller)
            .with_context(action["context"])
            .create({"reason": "Payments slowed down"})
        )
        self.assertFalse(wizard.lift)
        # meanwhile, another controller puts the customer on watch
        self.customer.with_user(self.other_controller)._credit_policy_set_watch(True, "Purchasing head left")
        # the first controller clicks Apply in a new request
        self.env.invalidate_all()
        with self.assertRaises(UserError, msg="already on watch: the dialog said Put on Watch"):
            wizard.action_apply()
        self.assertTrue(self.customer.sudo().credit_watch, "the watch the other controller put stays")
