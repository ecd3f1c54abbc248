from odoo.tests import HttpCase, tagged

from odoo.addons.credit_policy.tests.common import use_chinese

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAccessRequestTour(CreditFileCommon, HttpCase):
    def test_salesperson_requests_department_manager_approves_then_reads(self):
        # Both read Chinese.
        use_chinese(self.env, self.other_salesman, self.dept_manager)
        file = self.files["personal"]
        action = "/odoo/action-credit_policy_archive.credit_policy_archive_access_request_action"
        self.start_tour(f"{action}/new", "credit_policy_archive_access_request_tour", login=self.other_salesman.login)
        request = self.env["credit.policy.archive.access.request"].search([("user_id", "=", self.other_salesman.id)])
        self.assertRecordValues(
            request, [{"state": "to_approve", "file_id": file.id, "approver_ids": self.dept_manager.ids}]
        )
        self.start_tour(
            f"{action}/{request.id}", "credit_policy_archive_access_approval_tour", login=self.dept_manager.login
        )
        self.assertRecordValues(request, [{"state": "approved", "decided_by_id": self.dept_manager.id}])
        self.assertTrue(file.with_user(self.other_salesman).read(["legal_representative"]))
