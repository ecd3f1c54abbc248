from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningStageChangesRecorded(DunningCommon):
    """A ladder's stages decide when customers are called, written to and cut
    off: every change of a stage (its days, what it does, what it does to
    shipping) is recorded on its ladder's chatter, with who, when, old and new,
    whatever the context of the call."""

    def _last_message(self, ladder):
        return ladder.message_ids[:1]

    def test_changing_a_stages_days_and_action_is_recorded_on_its_ladder(self):
        stage = self.stages[4].with_user(self.manager)
        stage.write({"days_from": 50, "action": "lawyer", "shipping_effect": "stop"})
        message = self._last_message(self.ladder)
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertIn(stage.name, message.body)
        for text in ("From (days overdue)", "46", "50", "Collection Letter", "Lawyer's Letter",
                     "Restrict: each delivery", "Stop: only a Credit Manager"):
            self.assertIn(text, message.body.replace("&#39;", "'"))

    def test_recorded_even_when_the_caller_disables_tracking(self):
        stage = self.stages[2].with_user(self.manager).with_context(tracking_disable=True, mail_notrack=True)
        count = len(self.ladder.message_ids)
        stage.block_new_orders = True
        self.assertEqual(len(self.ladder.message_ids), count + 1)
        self.assertIn("Block New Orders", self._last_message(self.ladder).body)

    def test_an_unchanged_stage_records_nothing(self):
        stage = self.stages[3].with_user(self.manager)
        count = len(self.ladder.message_ids)
        stage.write({"days_from": stage.days_from, "action": stage.action})
        self.assertEqual(len(self.ladder.message_ids), count)

    def test_stages_added_and_deleted_are_recorded(self):
        ladder = self.ladder.with_user(self.manager)
        stage = self.stages[6].with_user(self.manager)
        stage.days_to = 120
        ladder.write({"stage_ids": [(0, 0, {"sequence": 7, "name": "Write-off Review", "days_from": 121})]})
        self.assertIn("7. Write-off Review", self._last_message(self.ladder).body)
        self.assertIn("added", self._last_message(self.ladder).body)
        ladder.stage_ids.filtered(lambda s: s.sequence == 7).unlink()
        self.assertIn("deleted", self._last_message(self.ladder).body)
        self.assertEqual(self._last_message(self.ladder).author_id, self.manager.partner_id)

    def test_the_ladders_own_settings_are_recorded(self):
        ladder = self.ladder.with_user(self.manager)
        ladder.with_context(tracking_disable=True).name = "Strict Ladder"
        self.assertIn("Strict Ladder", self._last_message(self.ladder).body)

    def test_a_grades_ladder_is_recorded_on_its_grade_table(self):
        table = self.env["credit.policy.grade.table"].create({"name": "Dunning Table", "company_id": self.company.id})
        grade = self.env["credit.policy.grade"].create({"table_id": table.id, "code": "X", "name": "X"})
        grade.with_user(self.manager).dunning_ladder_id = self.ladder
        message = table.message_ids[:1]
        self.assertIn("Dunning Ladder", message.body)
        self.assertIn(self.ladder.name, message.body)
