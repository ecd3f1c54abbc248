from odoo import Command
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditGradeTableChangesRecorded(CreditGradingCommon):
    """What a grade table decides besides its grades' bounds is on its change
    trail too: the grade a red flag forces (naming the best grade would let
    red flags force nothing) and the limit bands proposing a limit from the
    customer's days-to-pay."""

    def _trail(self):
        trail = self.env.ref("credit_policy.mt_credit_change_trail")
        self.table.invalidate_recordset()
        return self.table.message_ids.filtered(lambda m: m.subtype_id == trail)

    def test_red_flag_grade_change_recorded(self):
        before = self._trail()
        self.table.with_user(self.credit_manager).red_flag_grade_id = self.grade["AAA"]
        entries = self._trail() - before
        self.assertTrue(entries, "the grade red flags force changed without a trail entry")
        self.assertIn("AAA", entries[:1].body)
        self.assertEqual(entries[:1].author_id, self.credit_manager.partner_id)

    def test_limit_band_changes_recorded(self):
        grade = self.grade["AA"].with_user(self.credit_manager)
        before = self._trail()
        grade.write({"limit_band_ids": [Command.create({"max_days_to_pay": 45, "factor": 0.9})]})
        band = grade.limit_band_ids.filtered(lambda b: b.max_days_to_pay == 45)
        added = self._trail() - before
        self.assertTrue(added, "a limit band added without a trail entry")
        band.factor = 1.0
        changed = self._trail() - before - added
        self.assertTrue(changed, "a limit band's factor changed without a trail entry")
        self.assertIn("0.9", changed[:1].body)
        band.unlink()
        self.assertTrue(self._trail() - before - added - changed, "a limit band deleted without a trail entry")

    def test_grade_moved_to_another_table_recorded_on_both(self):
        other = self.env["credit.policy.grade.table"].create({"name": "Other Scheme", "company_id": self.company.id})
        trail = self.env.ref("credit_policy.mt_credit_change_trail")
        before = self._trail()
        self.grade["C"].with_user(self.credit_manager).table_id = other
        self.assertTrue(self._trail() - before, "the table a grade left does not record it")
        other.invalidate_recordset()
        self.assertTrue(other.message_ids.filtered(lambda m: m.subtype_id == trail and "C" in m.body))
