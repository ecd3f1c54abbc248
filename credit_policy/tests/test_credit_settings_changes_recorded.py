from odoo.tests import HttpCase, tagged

from .common import ButtonAssertions, RpcMixin
from .test_credit_settings_access import CreditSettingsCommon


@tagged("post_install", "-at_install")
class TestCreditSettingsChangesRecorded(ButtonAssertions, RpcMixin, CreditSettingsCommon, HttpCase):
    """Every change of a credit setting is recorded with who, when, and the
    old and new values; the record cannot be forged, altered or deleted."""

    def _changes(self, company=None):
        return self.env["credit.policy.settings.change"].search(
            [("company_id", "=", (company or self.company).id)], order="id"
        )

    def test_saved_settings_record_what_changed(self):
        before = self._changes()
        self._call(
            self.credit_manager, "credit.policy.settings", "create",
            [{"credit_warn_percent": 75.0, "credit_alert_percent": 90.0, "credit_check_mode": "block",
              "credit_red_flag_hold": self.company.credit_red_flag_hold}],
        )
        changes = self._changes() - before
        self.assertEqual(
            sorted((c.field_id.name, c.old_value, c.new_value, c.user_id) for c in changes),
            [
                ("credit_check_mode", "Warn", "Block", self.credit_manager),
                ("credit_warn_percent", "80.0", "75.0", self.credit_manager),
            ],
            "only the settings whose value changed, by the Credit Manager who saved them",
        )

    def test_changes_are_recorded_per_company(self):
        before = self._changes()
        self._settings(self.manager_two_companies, {"credit_max_overdue_days": 30}, company=self.other_company)
        self.assertEqual(self._changes(self.other_company).field_id.mapped("name"), ["credit_max_overdue_days"])
        self.assertEqual(self._changes(), before, "the first company's settings did not change")
        # A manager of the first company alone does not read the other's.
        self.assertFalse(
            self.env["credit.policy.settings.change"].with_user(self.credit_manager).search(
                [("company_id", "=", self.other_company.id)]
            )
        )

    def test_nobody_forges_alters_or_deletes_a_change(self):
        self.company.credit_max_overdue_days = 15
        change = self._changes()[-1:]
        self.assertEqual(change.new_value, "15")
        for user in (self.credit_manager, self.env.ref("base.user_admin")):
            self.assertRpcRefused(
                user, change, "create",
                [[{"company_id": self.company.id, "user_id": user.id, "field_id": change.field_id.id,
                   "old_value": "1", "new_value": "2"}]],
            )
            self.assertRpcRefused(user, change, "write", [change.ids, {"new_value": "99"}])
            self.assertRpcRefused(user, change, "unlink")
        self.assertEqual(change.new_value, "15")

    def test_salespeople_do_not_read_the_changes(self):
        self.company.credit_max_overdue_days = 15
        self.assertRpcRefused(
            self.salesperson, self._changes()[-1:], "search_read", [[], ["new_value"]],
        )
