from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningLadderDeletionRecorded(DunningCommon):
    """Which ladder chases a grade's customers is recorded on the grade
    table, whatever the caller does: deleting a ladder a grade uses silently
    switches the grade to the default ladder and erases the ladder's own
    trail. It must be refused, or recorded on the grade table."""

    def test_deleting_a_grades_ladder(self):
        table = self.env["credit.policy.grade.table"].create({"name": "Dunning Table", "company_id": self.company.id})
        grade = self.env["credit.policy.grade"].create({"table_id": table.id, "code": "X", "name": "X"})
        ladder = self.ladder.copy({"name": "Soft Ladder", "is_default": False})
        grade.dunning_ladder_id = ladder
        count = len(table.message_ids)
        try:
            ladder.with_user(self.manager).unlink()
        except UserError:
            return  # refused: the trail stays
        self.assertFalse(grade.dunning_ladder_id)
        self.assertGreater(
            len(table.message_ids), count,
            "the grade's ladder was removed by deleting the ladder, with no entry on the grade table",
        )
