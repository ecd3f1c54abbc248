from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import CreditFileCommon

NOTE = "Ask the bank why it cut the overdraft by 2 million"


@tagged("post_install", "-at_install")
class TestCreditFileActivitiesReachItsReadersOnly(RpcMixin, CreditFileCommon, HttpCase):
    """An activity planned on a credit file (its summary and note: what to
    check, and why) is the file's content. Mail lets its assignee read and
    change it whatever he may read of the record: on a credit file only
    whoever may read the file now does, and an activity is planned for a
    reader of the file only (its assignment notice carries the note, by
    e-mail too)."""

    def _plan(self, user, assignee, file=None):
        file = file or self.files["department"]
        return self._call(
            user, "mail.activity", "create",
            [{
                "res_model_id": self.env["ir.model"]._get_id(file._name),
                "res_id": file.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "summary": "Overdraft cut",
                "note": NOTE,
                "user_id": assignee.id,
            }],
        )

    def test_an_assignee_who_lost_the_file_reads_his_activity_no_more(self):
        activity_id = self._plan(self.dept_manager, self.colleague)
        rows = self._call(self.colleague, "mail.activity", "read", [[activity_id], ["note"]])
        self.assertIn(NOTE, rows[0]["note"])
        self.team.sudo().member_ids = [Command.unlink(self.colleague.id)]
        self.assertFalse(self._can_read(self.colleague, self.files["department"]))
        for method, args in (
            ("read", [[activity_id], ["note", "summary"]]),
            ("web_read", [[activity_id], {"note": {}}]),
            ("write", [[activity_id], {"note": "rewritten"}]),
        ):
            with self.subTest(method=method), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.colleague, "mail.activity", method, args)
        for domain in ([("id", "=", activity_id)], [("user_id", "=", self.colleague.id)], [("note", "ilike", "bank")]):
            with self.subTest(domain=domain):
                self.assertFalse(self._call(self.colleague, "mail.activity", "search_read", [domain, ["note"]]))
        # nor its assignment notice
        notices = self._call(
            self.colleague, "mail.message", "search_read", [[("body", "ilike", "overdraft")], ["body"]]
        )
        self.assertFalse(notices)

    def test_an_activity_is_planned_for_a_reader_of_the_file_only(self):
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._plan(self.dept_manager, self.other_salesman)
        activity_id = self._plan(self.dept_manager, self.colleague)
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call(
                self.dept_manager, "mail.activity", "write", [[activity_id], {"user_id": self.other_salesman.id}]
            )
        file = self.files["department"]
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call(
                self.dept_manager, file._name, "activity_schedule",
                [file.ids, "mail.mail_activity_data_todo"], {"note": NOTE, "user_id": self.other_salesman.id},
            )
        self.assertFalse(
            self.env["mail.activity"].sudo().search([("user_id", "=", self.other_salesman.id)])
        )
        self.assertFalse(
            self.env["mail.message"].sudo().search(
                [("partner_ids", "in", self.other_salesman.partner_id.ids), ("model", "=", file._name)]
            ),
            "no assignment notice reached him",
        )
