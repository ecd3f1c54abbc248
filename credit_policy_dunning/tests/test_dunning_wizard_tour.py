from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.credit_policy.tests.common import use_chinese

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningWizardTour(DunningCommon, HttpCase):
    """A Credit Controller runs dunning in the browser: Credit > Dunning >
    Run Dunning, a date three days back, preview, one action excluded,
    confirm, the result summary; what the run produced is checked here.
    The controller reads Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tour_user = new_test_user(
            cls.env,
            "dunning_tour_controller",
            password="dunning_tour_controller",
            groups="base.group_user,credit_policy.group_credit_policy_controller",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="UTC",
        )
        use_chinese(cls.env, cls.tour_user)
        cls.phone = cls._credit_customer("Tour Phone Debtor Ltd")
        cls.phone.user_id = cls.salesperson
        cls.letter = cls._credit_customer("Tour Letter Debtor Ltd")
        cls.letter.write({"user_id": cls.salesperson.id, "email": "letter@example.com", "lang": "en_US"})
        cls.excluded = cls._credit_customer("Tour Excluded Debtor Ltd")
        cls.excluded.write({"email": "excluded@example.com"})
        # Days overdue on the run date (three days back): 5, 20 and 37.
        cls.phone_invoice = cls._overdue_invoice(cls.phone, 150.0, 8)
        cls.letter_invoice = cls._overdue_invoice(cls.letter, 800.0, 23)
        cls.excluded_invoice = cls._overdue_invoice(cls.excluded, 300.0, 40)

    def test_controller_previews_excludes_and_confirms(self):
        self.assertFalse(self.tour_user._is_admin())
        self.start_tour("/odoo", "credit_policy_dunning_wizard_tour", login=self.tour_user.login)

        run = self.env["credit.policy.dunning.run"].sudo().search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run), 1)
        run_date = self.today - timedelta(days=3)
        self.assertRecordValues(run, [{"date": run_date, "state": "done", "executed_by_id": self.tour_user.id}])
        self.assertIn("已完成 2 项催收操作，排除 1 项", run.summary, "written in the language of who ran it")
        lines = {line.partner_id: line for line in run.line_ids}
        self.assertEqual(set(lines), {self.phone, self.letter, self.excluded})
        phone, letter, excluded = lines[self.phone], lines[self.letter], lines[self.excluded]
        uid = self.tour_user.id
        self.assertRecordValues(
            phone + letter + excluded,
            [
                {"stage_id": self.stages[1].id, "max_days_overdue": 5, "state": "done", "done_by_id": uid, "excluded_by_id": False},
                {"stage_id": self.stages[2].id, "max_days_overdue": 20, "state": "done", "done_by_id": uid, "excluded_by_id": False},
                {"stage_id": self.stages[3].id, "max_days_overdue": 37, "state": "excluded", "done_by_id": False, "excluded_by_id": uid},
            ],
        )
        # The reminder call: an activity of the customer's salesperson.
        activity = phone.activity_id
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual((activity.res_model, activity.res_id), ("res.partner", self.phone.id))
        self.assertEqual(activity.date_deadline, run_date)
        self.assertFalse(phone.mail_id)
        # The first letter: queued by email with the letter attached, and to print.
        mail = letter.mail_id
        self.assertEqual(mail.state, "outgoing", "queued, sent by the mail queue")
        self.assertIn(self.letter, mail.recipient_ids)
        self.assertEqual(mail.attachment_ids, letter.letter_attachment_id)
        self.assertIn(self.letter_invoice.name, letter.letter_attachment_id.raw.decode())
        self.assertTrue(run.print_attachment_id)
        # The excluded customer: nothing sent, stays where it was.
        self.assertFalse(excluded.mail_id or excluded.activity_id or excluded.letter_attachment_id)
        self.assertFalse(self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.excluded.ids)]))
        self.assertEqual(self._stage(self.phone), self.stages[1])
        self.assertEqual(self._stage(self.letter), self.stages[2])
        self.assertFalse(self._stage(self.excluded))
