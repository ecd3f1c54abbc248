from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileHandoverToOwnDepartment(CreditFileCommon):
    """Leading a file's department opens it at every level, as owning it
    does: whoever hands files over does not make himself their department
    manager, any more than their owner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The regional manager leads a sales team of his own, which the
        # receiving salesperson is no member of.
        cls.own_team = cls.env["crm.team"].create({"name": "North Sales", "user_id": cls.regional_manager.id})

    def test_regional_manager_does_not_hand_files_into_the_department_he_leads(self):
        personal = self.files["personal"]
        self.assertFalse(self._can_read(self.regional_manager, personal), "a personal file of another department")
        wizard = self.env["credit.policy.archive.handover.wizard"].with_user(self.regional_manager).create(
            {
                "from_user_id": self.owner.id,
                "to_user_id": self.colleague.id,
                "to_team_id": self.own_team.id,
                "reason": "Territory change",
            }
        )
        try:
            wizard.action_confirm()
        except (AccessError, UserError):
            return  # refused: the expected outcome
        self.assertNotIn(self.colleague, self.own_team.member_ids)
        self.assertFalse(
            self._can_read(self.regional_manager, personal),
            "the regional manager handed the files into his own team and now reads personal-level files "
            "without an access request",
        )
