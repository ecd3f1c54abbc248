from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileLevelChange(CreditFileCommon):
    """Nobody changes a file he may not read, and only its owner or a Credit
    Manager changes its confidentiality level, with or without tracking."""

    def test_department_manager_cannot_open_a_company_level_file_of_his_team(self):
        file = self.files["company"]
        for context in ({"tracking_disable": True}, {"mail_notrack": True}, {}):
            with self.subTest(context=context), self.assertRaises(AccessError):
                file.with_user(self.dept_manager).with_context(**context).write({"confidentiality": "department"})
        with self.assertRaises(AccessError):
            file.with_user(self.dept_manager).write({"staff_count": 3})
        self.assertEqual(file.confidentiality, "company")
        self.assertFalse(self._can_read(self.dept_manager, file))
        self.assertFalse(self._can_read(self.colleague, file))

    def test_only_the_owner_or_a_credit_manager_changes_the_level(self):
        file = self.files["department"]
        with self.assertRaises(AccessError) as refusal:
            file.with_user(self.dept_manager).write({"confidentiality": "personal"})
        self.assertIn("confidentiality level", str(refusal.exception))
        # He still keeps his department's file up to date.
        file.with_user(self.dept_manager).write({"staff_count": 4, "confidentiality": "department"})
        file.with_user(self.owner).write({"confidentiality": "personal"})
        self.assertEqual(file.confidentiality, "personal")
        file.with_user(self.credit_manager).write({"confidentiality": "company"})
        self.assertEqual(file.confidentiality, "company")
