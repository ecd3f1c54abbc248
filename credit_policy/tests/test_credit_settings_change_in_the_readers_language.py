from odoo.tests import tagged

from .common import use_chinese
from .test_credit_settings_access import CreditSettingsCommon


@tagged("post_install", "-at_install")
class TestCreditSettingsChangeInTheReadersLanguage(CreditSettingsCommon):
    """The change log of the credit settings is read by every Credit Officer
    of the company: its old and new values (Yes/No, a selection's label) read
    in the reader's language, not frozen in the language of whoever saved the
    settings."""

    def test_a_change_saved_in_chinese_reads_in_english(self):
        use_chinese(self.env, self.credit_manager)
        self.company.credit_check_mode = "warn"
        # as the web client calls: in the user's language
        self.env["credit.policy.settings"].with_user(self.credit_manager).with_context(lang="zh_CN").create(
            {"credit_check_mode": "block"}
        )
        change = self.env["credit.policy.settings.change"].search(
            [("company_id", "=", self.company.id), ("field_id.name", "=", "credit_check_mode")], limit=1
        )
        self.assertTrue(change)
        reader = self.env.ref("base.user_admin")
        reader.lang = "en_US"
        change = change.with_user(reader).with_context(lang="en_US")
        self.assertEqual(
            (change.old_value, change.new_value), ("Warn", "Block"),
            "the English reader reads the values in the language of the Chinese manager who saved them",
        )
