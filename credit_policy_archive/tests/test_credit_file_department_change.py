from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileDepartmentChange(CreditFileCommon):
    """The department of a file decides who reads it, as its level does:
    only its owner (or a Credit Manager, or a handover) moves it to another
    department; the department manager keeps it up to date but does not
    hand it to another team."""

    def test_department_manager_cannot_open_a_file_to_another_team(self):
        file = self.files["department"]
        self.assertFalse(self._can_read(self.other_salesman, file))
        try:
            file.with_user(self.dept_manager).write({"team_id": self.other_team.id})
        except (AccessError, UserError):
            pass  # refused: the expected outcome
        self.assertFalse(
            self._can_read(self.other_salesman, file),
            f"the department manager moved the file to {file.team_id.name}: its members now read it",
        )
