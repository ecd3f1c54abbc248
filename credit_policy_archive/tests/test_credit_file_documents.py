from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileDocuments(CreditFileCommon):
    """Documents with expiry dates: the owner is warned before expiry, and an
    evaluation whose grade requires a document cannot be submitted while it
    is missing or expired."""

    def test_owner_is_warned_once_before_a_document_expires(self):
        file = self.files["personal"]
        document = file.document_ids
        document.sudo().expiry_date = fields.Date.today() + timedelta(days=10)
        Document = self.env["credit.policy.archive.document"]
        Document._cron_warn_expiring_documents()
        activity_type = self.env.ref("credit_policy_archive.mail_activity_credit_document_expiry")
        activities = file.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(activities.user_id, self.owner)
        Document._cron_warn_expiring_documents()
        self.assertEqual(
            len(file.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)), 1, "warned once"
        )

    def test_document_far_from_expiry_is_not_warned(self):
        file = self.files["personal"]
        self.env["credit.policy.archive.document"]._cron_warn_expiring_documents()
        self.assertFalse(file.sudo().activity_ids)

    def _evaluation_requiring_licence(self):
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        self.assertTrue(evaluation.grade_id)
        evaluation.grade_id.sudo().required_document_type_ids = self.licence
        return evaluation

    def test_submission_blocked_while_the_required_document_is_missing(self):
        evaluation = self._evaluation_requiring_licence()
        with self.assertRaisesRegex(UserError, "Business Licence"):
            evaluation.with_user(self.salesperson).action_submit()
        self.assertEqual(evaluation.state, "draft")

    def test_submission_blocked_while_the_required_document_is_expired_then_allowed(self):
        evaluation = self._evaluation_requiring_licence()
        file = self.env["credit.policy.archive.file"].with_user(self.salesperson).create(
            {
                "partner_id": self.customer.id,
                "confidentiality": "personal",
                "document_ids": [
                    Command.create(
                        {
                            "name": "Old licence",
                            "document_type_id": self.licence.id,
                            "expiry_date": fields.Date.today() - timedelta(days=1),
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "expired"):
            evaluation.with_user(self.salesperson).action_submit()
        file.document_ids.expiry_date = fields.Date.today() + timedelta(days=300)
        evaluation.with_user(self.salesperson).action_submit()
        self.assertEqual(evaluation.state, "to_approve")

    def test_stale_filter_and_completeness(self):
        File = self.env["credit.policy.archive.file"].with_user(self.owner)
        file = self.files["personal"]
        self.assertFalse(File.search([("id", "=", file.id), ("is_stale", "=", True)]))
        self.env.cr.execute(
            "UPDATE credit_policy_archive_file SET update_due_date = %s WHERE id = %s",
            (fields.Date.today() - timedelta(days=1), file.id),
        )
        file.invalidate_recordset()
        self.assertTrue(File.search([("id", "=", file.id), ("is_stale", "=", True)]))
        self.assertTrue(0 < file.completeness < 100)
        file.with_user(self.owner).action_mark_updated()
        self.assertFalse(File.search([("id", "=", file.id), ("is_stale", "=", True)]))

    def test_negative_operating_cash_flow_three_periods_running_warns(self):
        file = self.files["personal"]
        self.assertFalse(file.cash_flow_warning)
        file.with_user(self.owner).financial_ids = [
            Command.create({"period_end": "2024-06-30", "operating_cash_flow": -5.0}),
            Command.create({"period_end": "2024-09-30", "operating_cash_flow": -1.0}),
        ]
        self.assertTrue(file.cash_flow_warning)
        statement = file.financial_ids.filtered(lambda s: str(s.period_end) == "2024-03-31")
        self.assertEqual(statement.current_ratio, 2.0)
        self.assertEqual(statement.debt_ratio, 60.0)


@tagged("post_install", "-at_install")
class TestCreditFileFactsOnScoringSheet(CreditFileCommon):
    """The scoring sheet shows the file's capital, years and staff to the
    file's readers only, and that read is logged."""

    def test_scoring_sheet_reads_the_file_facts(self):
        file = self.env["credit.policy.archive.file"].with_user(self.salesperson).create(
            {"partner_id": self.customer.id, "confidentiality": "personal", "staff_count": 250,
             "registered_capital": 1000.0, "founding_date": "2001-01-01"}
        )
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        lines = evaluation.with_user(self.salesperson).line_ids
        facts = {line.criterion_id.code: line.file_fact for line in lines}
        self.assertEqual(facts["STAFF"], "250 staff")
        self.assertIn("2001", facts["YEARS"])
        self.assertTrue(facts["CAPITAL"])
        self.assertTrue(self._logs(file, self.salesperson))
        # The general manager reads the evaluation but not this personal file.
        self.env.invalidate_all()
        lines = evaluation.with_user(self.general_manager).line_ids
        self.assertFalse(any(lines.mapped("file_fact")))


@tagged("post_install", "-at_install")
class TestCreditFileFreshness(CreditFileCommon):
    def test_owner_gets_an_activity_when_the_quarterly_update_is_due(self):
        file = self.files["department"]
        self.env.cr.execute(
            "UPDATE credit_policy_archive_file SET update_due_date = %s WHERE id = %s",
            (fields.Date.today() + timedelta(days=3), file.id),
        )
        file.invalidate_recordset()
        self.env["credit.policy.archive.file"]._cron_schedule_freshness_activities()
        update = self.env.ref("credit_policy_archive.mail_activity_credit_file_update")
        activity = file.sudo().activity_ids.filtered(lambda a: a.activity_type_id == update)
        self.assertEqual(activity.user_id, self.owner)
        self.env["credit.policy.archive.file"]._cron_schedule_freshness_activities()
        self.assertEqual(len(file.sudo().activity_ids.filtered(lambda a: a.activity_type_id == update)), 1)
        file.with_user(self.owner).action_mark_updated()
        self.assertFalse(file.sudo().activity_ids.filtered(lambda a: a.activity_type_id == update))


@tagged("post_install", "-at_install")
class TestCreditFileFactsOverRpc(CreditFileCommon, HttpCase):
    def test_opening_the_evaluation_form_logs_the_facts_read(self):
        file = self.env["credit.policy.archive.file"].with_user(self.salesperson).create(
            {"partner_id": self.customer.id, "confidentiality": "personal", "staff_count": 250}
        )
        evaluation = self._evaluation(30, 24, 26, user=self.salesperson)
        self.authenticate(self.salesperson.login, self.salesperson.login)
        with self.assertNoLogs("odoo.http", level="WARNING"):
            result = self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "credit.policy.evaluation",
                    "method": "web_read",
                    "args": [evaluation.ids],
                    "kwargs": {"specification": {"line_ids": {"fields": {"file_fact": {}}}}},
                },
            )
        self.assertIn("250 staff", [line["file_fact"] for line in result[0]["line_ids"]])
        self.assertTrue(self._logs(file, self.salesperson))
