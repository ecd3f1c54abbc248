from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCreditFileDemo(TransactionCase):
    """The demo's credit files belong to the demo's own sales department: each
    role user logging in finds the files his role reads, and the department
    manager has a salesperson's access request to decide (setup/test always
    installs the demo)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.sales = ref("credit_policy.user_salesperson_demo")
        cls.sales2 = ref("credit_policy.user_salesperson2_demo")
        cls.rm = ref("credit_policy.user_regional_manager_demo")
        cls.company_file = ref("credit_policy_archive.credit_policy_archive_file_company_demo")
        cls.department_file = ref("credit_policy_archive.credit_policy_archive_file_department_demo")
        cls.personal_file = ref("credit_policy_archive.credit_policy_archive_file_personal_demo")
        cls.request = ref("credit_policy_archive.credit_policy_archive_access_request_demo")
        cls.demo_files = cls.company_file | cls.department_file | cls.personal_file

    def _readable(self, user):
        return self.env["credit.policy.archive.file"].with_user(user).search([("id", "in", self.demo_files.ids)])

    def test_each_role_user_reads_what_his_role_reads(self):
        self.assertEqual(self._readable(self.sales), self.department_file | self.personal_file)
        self.assertEqual(self._readable(self.sales2), self.department_file)
        self.assertEqual(self._readable(self.rm), self.department_file | self.personal_file)

    def test_the_department_manager_decides_the_waiting_request(self):
        self.assertEqual(self.request.state, "to_approve")
        self.assertEqual(self.request.user_id, self.sales2)
        self.assertEqual(self.request.file_id, self.personal_file)
        self.assertIn(self.rm, self.request.approver_ids)
        self.assertIn(self.rm, self.request.activity_ids.user_id, "a to-do on the approver's list")
        self.request.with_user(self.rm).action_approve()
        self.assertIn(self.personal_file, self._readable(self.sales2))
