from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAccessRequestScope(CreditFileCommon, HttpCase):
    """An access request opens its customer's file, at that file's level and
    approved by that level's approver: its file, level and file owner follow
    from its customer and company, whatever a client sends."""

    def _request(self, level, context=None, **vals):
        return self._access_request(self.other_salesman, level, context=context, **vals)

    def test_an_approved_request_cannot_be_pointed_at_another_file_over_rpc(self):
        request = self._request("department")
        request.action_submit()
        request.with_user(self.credit_manager).action_approve()
        target = self.files["company"]
        self.authenticate(self.other_salesman.login, self.other_salesman.login)
        for field, value in (
            ("file_id", target.id),
            ("confidentiality", "company"),
            ("file_owner_id", self.other_salesman.id),
        ):
            with self.subTest(field=field), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "credit.policy.archive.access.request",
                        "method": "write",
                        "args": [request.ids, {field: value}],
                        "kwargs": {},
                    },
                )
        request.invalidate_recordset()
        self.assertRecordValues(
            request, [{"file_id": self.files["department"].id, "confidentiality": "department",
                       "file_owner_id": self.owner.id}]
        )
        self.assertFalse(self._can_read(self.other_salesman, target))

    def test_a_draft_request_keeps_its_files_level_and_approver(self):
        request = self._request("company")
        with self.assertRaises(AccessError):
            request.write({"confidentiality": "personal"})
        request.action_submit()
        self.assertEqual(request.confidentiality, "company")
        self.assertIn(self.general_manager, request.approver_ids)
        self.assertNotIn(self.dept_manager, request.approver_ids)

    def test_a_request_is_created_at_its_customers_file_level_and_owner(self):
        # A file given alone is recomputed from the customer; a file given
        # with a level (and an owner) is not: those are the forgeries.
        file = self.files["department"]
        forged_level = {"file_id": file.id, "confidentiality": "personal"}
        forged_owner = {"file_id": file.id, "confidentiality": "department", "file_owner_id": self.other_salesman.id}
        forgeries = (
            (forged_level, {}),
            (forged_owner, {}),
            ({}, {f"default_{name}": value for name, value in forged_level.items()}),
        )
        for vals, context in forgeries:
            with self.subTest(vals=vals, context=context), self.assertRaises(AccessError):
                self._request("department", context=context, **vals)
        Default = self.env["ir.default"].with_user(self.other_salesman)
        for name, value in forged_level.items():
            Default.set("credit.policy.archive.access.request", name, value, user_id=self.other_salesman.id)
        with self.assertRaises(AccessError):
            self._request("department")
        self.env["ir.default"].search([("user_id", "=", self.other_salesman.id)]).unlink()
        self.assertRecordValues(
            self._request("department"),
            [{"file_id": file.id, "confidentiality": "department", "file_owner_id": self.owner.id}],
        )
