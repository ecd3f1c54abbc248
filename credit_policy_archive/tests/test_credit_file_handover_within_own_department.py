"""A handover does not let its author read files he could not read before
(POLICY.md §6: reading another's file needs an approved access request; seed
000: the regional manager assigns the customers of his region).

Review finding (rev_c): this test fails on the current code. The handover
wizard (wizards/credit_policy_archive_handover_wizard.py) lets any Regional
Manager move any employee's files, of any department, to a person and a
department of his choice: moved into the department he leads, another
department's personal file becomes readable to him, without an access
request."""
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileHandoverWithinOwnDepartment(CreditFileCommon):
    def test_regional_manager_cannot_pull_another_departments_file_into_his_own(self):
        self.other_team.user_id = self.regional_manager  # he leads West Sales
        personal = self.files["personal"]  # East Sales, personal level
        self.assertFalse(self._can_read(self.regional_manager, personal))
        wizard = self.env["credit.policy.archive.handover.wizard"].with_user(self.regional_manager).create(
            {
                "from_user_id": self.owner.id,
                "to_user_id": self.other_salesman.id,
                "to_team_id": self.other_team.id,
                "reason": "Territory change",
            }
        )
        try:
            wizard.action_confirm()
        except (AccessError, UserError):
            return  # refused: the expected behaviour
        self.assertFalse(
            self._can_read(self.regional_manager, personal),
            "the Regional Manager of another department reads a personal file after moving it to his own",
        )
