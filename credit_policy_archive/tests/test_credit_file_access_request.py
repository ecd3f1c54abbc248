from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileAccessRequest(CreditFileCommon):
    """查阅申请: request → approval by the level's approver → read allowed →
    lapses after the return date → read refused."""

    def _today_of(self, reader):
        """Today in the reader's calendar (time zone): the one his grants follow."""
        return fields.Date.context_today(self.env["res.users"].with_user(reader))

    def _request(self, reader, level, days=3, **vals):
        return self._access_request(reader, level, days=days, **vals)

    def test_grant_lets_the_reader_read_until_the_return_date_then_lapses(self):
        file = self.files["personal"]
        request = self._request(self.other_salesman, "personal")
        self.assertFalse(self._can_read(self.other_salesman, file))
        self.env.invalidate_all()  # nothing of the file in memory: the reader submits as in a new request
        request.action_submit()
        self.assertEqual(request.approver_ids, self.dept_manager, "personal: the owner's department manager approves")
        request.with_user(self.dept_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertTrue(self._can_read(self.other_salesman, file))
        self.assertTrue(file.financial_ids.with_user(self.other_salesman).read(["revenue"]))
        # The grant is not a write right.
        with self.assertRaises(AccessError):
            file.with_user(self.other_salesman).write({"staff_count": 3})
        # The return date passes: no cron needed for the read to stop.
        past = self._today_of(self.other_salesman) - timedelta(days=1)
        # (an approved request's dates cannot be changed: move them in SQL)
        self.env.cr.execute(
            "UPDATE credit_policy_archive_access_request SET date_from = %s, date_to = %s WHERE id = %s",
            (past - timedelta(days=5), past, request.id),
        )
        request.invalidate_recordset()
        self.assertFalse(self._can_read(self.other_salesman, file))
        with self.assertRaises(AccessError):
            file.with_user(self.other_salesman).read(["legal_representative"])
        with self.assertRaises(AccessError):
            file.financial_ids.with_user(self.other_salesman).read(["revenue"])
        # The daily cron then closes it.
        self.env["credit.policy.archive.access.request"]._cron_close_expired_grants()
        self.assertEqual(request.state, "closed")

    def test_expired_grants_close_in_the_readers_calendar_whatever_the_crons(self):
        # 25 hours apart: the two calendars are on different days at any hour.
        ahead, behind = "Pacific/Kiritimati", "Pacific/Pago_Pago"
        reader = self.other_salesman
        Request = self.env["credit.policy.archive.access.request"]

        def approved_request(reader_tz, days_from_readers_today):
            reader.tz = reader_tz
            request = self._request(reader, "personal")
            request.action_submit()
            request.with_user(self.dept_manager).action_approve()
            date_to = self._today_of(reader) + timedelta(days=days_from_readers_today)
            self.env.cr.execute(
                "UPDATE credit_policy_archive_access_request SET date_from = %s, date_to = %s WHERE id = %s",
                (date_to - timedelta(days=5), date_to, request.id),
            )
            request.invalidate_recordset()
            return request

        lapsed = approved_request(ahead, -1)  # ended yesterday for its reader
        Request.with_context(tz=behind)._cron_close_expired_grants()
        self.assertEqual(lapsed.state, "closed", "the scheduled action's calendar is still on an earlier day")
        self.assertEqual(lapsed.closed_date, self._today_of(reader))

        running = approved_request(behind, 0)  # its last day for its reader
        Request.with_context(tz=ahead)._cron_close_expired_grants()
        self.assertEqual(running.state, "approved", "the scheduled action's calendar is already on a later day")
        self.assertTrue(self._can_read(reader, self.files["personal"]))

    def test_grant_not_yet_started_gives_nothing(self):
        file = self.files["department"]
        today = self._today_of(self.other_salesman)
        request = self._request(self.other_salesman, "department", date_from=today + timedelta(days=2),
                                date_to=today + timedelta(days=4))
        request.action_submit()
        request.with_user(self.credit_manager).action_approve()
        self.assertFalse(self._can_read(self.other_salesman, file))

    def test_approvers_by_level(self):
        director = self.sales_manager
        self.company.credit_archive_director_id = director
        department = self._request(self.other_salesman, "department")
        department.action_submit()
        self.assertEqual(department.approver_ids, director)
        company = self._request(self.other_salesman, "company")
        company.action_submit()
        self.assertIn(self.general_manager, company.approver_ids)
        # Someone else's approver refuses to decide it; a Credit Manager may.
        with self.assertRaises(AccessError):
            company.with_user(self.dept_manager).action_approve()
        with self.assertRaises(AccessError):
            department.with_user(self.general_manager).action_approve()
        department.with_user(self.credit_manager).action_approve()
        self.assertEqual(department.state, "approved")

    def test_nobody_approves_his_own_request(self):
        # The department manager asks for a company-level file and is also a Credit Manager.
        self.dept_manager.groups_id += self.env.ref("credit_policy.group_credit_policy_manager")
        self.company.credit_four_eyes = False  # even when the company relaxes the principle
        request = self._request(self.dept_manager, "company")
        request.with_user(self.dept_manager).action_submit()
        with self.assertRaisesRegex(AccessError, "own access request"):
            request.with_user(self.dept_manager).action_approve()

    def test_decision_cannot_be_forged_at_creation(self):
        Request = self.env["credit.policy.archive.access.request"].with_user(self.other_salesman)
        vals = {
            "partner_id": self.files["personal"].partner_id.id,
            "purpose": "x",
            "date_to": fields.Date.add(fields.Date.today(), days=2),
        }
        with self.assertRaises(AccessError):
            Request.create({**vals, "state": "approved"})
        with self.assertRaises(AccessError):
            Request.create({**vals, "user_id": self.owner.id})
        forged = Request.with_context(default_state="approved", default_user_id=self.owner.id).create(vals)
        self.assertEqual((forged.state, forged.user_id), ("draft", self.other_salesman))
        self.env["ir.default"].with_user(self.other_salesman).set(
            "credit.policy.archive.access.request", "state", "approved", user_id=self.other_salesman.id
        )
        self.assertEqual(Request.create(vals).state, "draft")
        with self.assertRaises(AccessError):
            forged.write({"state": "approved"})
        self.assertFalse(self._can_read(self.other_salesman, self.files["personal"]))

    def test_other_users_do_not_see_a_request(self):
        request = self._request(self.other_salesman, "personal")
        self.assertFalse(
            self.env["credit.policy.archive.access.request"].with_user(self.colleague).search([("id", "=", request.id)])
        )
