from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditGradeChangesRecorded(CreditGradingCommon):
    """A grade's bounds limit every evaluation and Change Credit: raising one
    is recorded on its grade table's chatter, with who, when, old and new."""

    def test_raising_a_grades_maximum_is_recorded_on_its_table(self):
        grade = self.grade["AA"].with_user(self.credit_manager)
        table = grade.table_id
        old = grade.max_limit
        grade.max_limit = old + 100000
        message = table.message_ids[:1]
        self.assertIn(grade.code, message.body)
        self.assertIn(f"{old + 100000}", message.body)
        self.assertEqual(message.author_id, self.credit_manager.partner_id)

    def test_an_unchanged_grade_records_nothing(self):
        grade = self.grade["AA"].with_user(self.credit_manager)
        count = len(grade.table_id.message_ids)
        grade.max_limit = grade.max_limit
        self.assertEqual(len(grade.table_id.message_ids), count)
