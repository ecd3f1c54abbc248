from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningStageTrailCannotBeErased(DunningCommon):
    """The change trail of a ladder's stages is recorded "whatever the caller
    sends": the Credit Manager who changed a stage must not then delete or
    rewrite the trail entry (mail.message write/unlink, which mail allows to
    whoever may write the ladder)."""

    def _changed_stage_entry(self):
        self.stages[4].with_user(self.manager).write({"days_from": 50, "shipping_effect": "stop"})
        entry = self.ladder.message_ids[:1]
        self.assertIn("50", entry.body)
        return entry.with_user(self.manager)

    def test_the_manager_cannot_delete_the_entry(self):
        entry = self._changed_stage_entry()
        with self.assertRaises(UserError):  # AccessError is a UserError
            entry.unlink()

    def test_the_manager_cannot_rewrite_the_entry(self):
        entry = self._changed_stage_entry()
        with self.assertRaises(UserError):  # AccessError is a UserError
            entry.write({"body": "<p>Nothing changed.</p>"})
