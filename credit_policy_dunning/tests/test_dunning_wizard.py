from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningWizard(DunningCommon):
    """The finance wizard: preview, exclusion, confirmation and what it produces."""

    def setUp(self):
        super().setUp()
        self.second = self._credit_customer("Second Debtor Ltd")
        self.second.write({"email": "second@example.com", "user_id": self.salesperson.id})
        self.phone = self._credit_customer("Phone Debtor Ltd")
        self.phone.write({"user_id": self.salesperson.id})
        self.no_email = self._credit_customer("Paper Debtor Ltd")
        self.invoice = self._overdue_invoice(self.customer, 800.0, 20)
        self._overdue_invoice(self.second, 300.0, 35)
        self._overdue_invoice(self.phone, 150.0, 3)
        self._overdue_invoice(self.no_email, 250.0, 20)

    def _wizard(self, **vals):
        return (
            self.env["credit.policy.dunning.wizard"]
            .with_user(self.controller)
            .with_company(self.company)
            .create({"company_id": self.company.id, **vals})
        )

    def test_preview_exclusion_and_confirmation(self):
        wizard = self._wizard()
        wizard.action_preview()
        self.assertEqual(wizard.step, "preview")
        lines = wizard.line_ids
        self.assertEqual(
            set(lines.partner_id.ids), {self.customer.id, self.second.id, self.phone.id, self.no_email.id}
        )
        self.assertEqual(set(lines.mapped("state")), {"proposed"})
        self.assertFalse(lines.mail_id or lines.activity_id, "a preview sends nothing")
        excluded = lines.filtered(lambda line: line.partner_id == self.second)
        excluded.action_exclude()
        wizard.action_confirm()
        self.assertEqual(wizard.step, "done")
        self.assertEqual(excluded.state, "excluded")
        self.assertFalse(excluded.mail_id)
        self.assertFalse(self._stage(self.second), "an excluded customer stays where it was")
        done = lines - excluded
        self.assertEqual(set(done.mapped("state")), {"done"})
        self.assertEqual(set(done.done_by_id.ids), {self.controller.id})
        # Phone stage: an activity for the salesperson.
        call = done.filtered(lambda line: line.partner_id == self.phone).sudo()
        self.assertEqual(call.activity_id.user_id, self.salesperson)
        self.assertEqual(call.activity_id.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(call.activity_id.res_id, self.phone.id)
        # No email address: the letter is printed instead.
        paper = done.filtered(lambda line: line.partner_id == self.no_email)
        self.assertEqual(paper.channel, "print")
        self.assertFalse(paper.mail_id)
        self.assertTrue(paper.letter_attachment_id)
        # The summary and the merged letters to print.
        self.assertIn("3 actions done, 1 excluded", wizard.summary)
        self.assertTrue(wizard.print_attachment_id)

    def test_excluding_in_the_preview_keeps_the_wizard_open(self):
        wizard = self._wizard()
        wizard.action_preview()
        line = wizard.line_ids.filtered(lambda line: line.partner_id == self.second).with_user(self.controller)
        from_wizard = line.with_context(credit_policy_dunning_wizard_id=wizard.id)
        for method in (from_wizard.action_exclude, from_wizard.action_include):
            action = method()
            self.assertEqual((action["res_model"], action["res_id"], action["target"]), (wizard._name, wizard.id, "new"))
        self.assertEqual(line.state, "proposed")
        # Elsewhere (the run's form), or with someone else's wizard: nothing to reopen.
        self.assertIs(line.action_exclude(), True)
        self.assertIs(line.action_include(), True)
        other = new_test_user(
            self.env,
            "dun_controller_2",
            groups="credit_policy.group_credit_policy_controller",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertIs(line.with_user(other).with_context(credit_policy_dunning_wizard_id=wizard.id).action_exclude(), True)

    def test_emails_are_queued_with_the_letter_attached(self):
        self._wizard(partner_ids=[(6, 0, self.customer.ids)]).action_preview()
        run = self.env["credit.policy.dunning.run"].sudo().search([("company_id", "=", self.company.id)])
        self.assertEqual(run.line_ids.partner_id, self.customer)
        run.with_user(self.controller).with_context(force_report_rendering=True).action_execute()
        line = run.line_ids
        mail = line.mail_id
        self.assertEqual(mail.state, "outgoing", "queued, sent by the mail queue")
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertEqual(mail.attachment_ids, line.letter_attachment_id)
        self.assertEqual(line.letter_attachment_id.mimetype, "application/pdf")
        self.assertTrue(line.letter_attachment_id.raw.startswith(b"%PDF"))
        self.assertTrue(run.print_attachment_id.raw.startswith(b"%PDF"), "letters to print merged into one PDF")

    def test_nothing_to_do_says_so(self):
        self._run()
        wizard = self._wizard()
        wizard.action_preview()
        self.assertEqual(wizard.step, "setup")
        self.assertIn("Nothing new", wizard.message)

    def test_customers_chosen_in_the_wizard_only_when_a_draft_run_exists(self):
        """The scheduled run prepared the day's run for review; the wizard
        restricted to one customer previews and carries out that customer's
        action alone, the others still await their review."""
        self.company.credit_dunning_cron_mode = "review"
        self.env["credit.policy.dunning.run"].sudo()._cron_run_dunning()
        run = self.env["credit.policy.dunning.run"].sudo().search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run.line_ids), 4)
        wizard = self._wizard(partner_ids=[Command.set(self.customer.ids)])
        wizard.action_preview()
        self.assertEqual(wizard.run_id, run, "the day's run, resumed")
        self.assertEqual(wizard.line_ids.partner_id, self.customer, "only the chosen customer is previewed")
        wizard.action_confirm()
        self.assertEqual(self._line(run).state, "done")
        others = run.line_ids - self._line(run)
        self.assertEqual(set(others.mapped("state")), {"proposed"}, "the others were not sent")
        self.assertFalse(others.mail_id or others.activity_id)
        self.assertFalse(self._stage(self.second))
        self.assertEqual(run.state, "draft", "the rest of the run awaits its review")
        self.assertIn("1 actions done, 0 excluded", wizard.summary)
        # The run's own confirmation carries out the rest.
        run.with_user(self.controller).action_execute()
        self.assertEqual(set(run.line_ids.mapped("state")), {"done"})

    def test_letters_of_the_chosen_customers_download_while_the_run_awaits_review(self):
        self.company.credit_dunning_cron_mode = "review"
        self.env["credit.policy.dunning.run"].sudo()._cron_run_dunning()
        wizard = self._wizard(partner_ids=[Command.set(self.no_email.ids)])
        wizard.action_preview()
        wizard.action_confirm()
        self.assertEqual(wizard.run_id.state, "draft")
        self.assertTrue(wizard.print_attachment_id, "the paper letter of the chosen customer")
        action = wizard.action_download_letters()
        self.assertEqual(action["url"], f"/web/content/{wizard.print_attachment_id.id}?download=true")

    def test_customers_chosen_in_the_wizard_join_a_run_restricted_to_others(self):
        first = self._wizard(partner_ids=[Command.set(self.second.ids)])
        first.action_preview()
        wizard = self._wizard(partner_ids=[Command.set(self.customer.ids)])
        wizard.action_preview()
        self.assertEqual(wizard.run_id, first.run_id)
        self.assertEqual(wizard.line_ids.partner_id, self.customer)
        self.assertEqual(first.line_ids.partner_id, self.second)
        self.assertEqual(wizard.run_id.partner_ids, self.customer | self.second, "the run lists whom it covers")
        wizard.action_confirm()
        self.assertEqual(wizard.line_ids.state, "done")
        self.assertEqual(first.line_ids.state, "proposed")

    def test_confirmation_carries_out_what_was_previewed_only(self):
        """A colleague's preview, between this one and its confirmation, adds
        an action to the day's run: this confirmation does not send it unseen."""
        wizard = self._wizard()
        wizard.action_preview()
        previewed = wizard.line_ids
        self.assertEqual(len(previewed), 4)
        late = self._credit_customer("Late Debtor Ltd")
        late.write({"email": "late@example.com", "user_id": self.salesperson.id})
        self._overdue_invoice(late, 400.0, 20)
        colleague = self._wizard(partner_ids=[Command.set(late.ids)])
        colleague.action_preview()
        self.assertEqual(colleague.run_id, wizard.run_id, "the day's run, joined")
        wizard.invalidate_recordset()
        self.assertEqual(wizard.line_ids, previewed, "the preview lists what it proposed")
        wizard.action_confirm()
        self.assertEqual(set(previewed.mapped("state")), {"done"})
        late_line = self._line(wizard.run_id, late)
        self.assertEqual(late_line.state, "proposed", "not previewed here: not sent")
        self.assertFalse(late_line.mail_id)
        self.assertEqual(wizard.run_id.state, "draft", "it awaits its own review")
        self.assertIn("4 actions done", wizard.summary)
        colleague.action_confirm()
        self.assertEqual(late_line.state, "done")
        self.assertEqual(wizard.run_id.state, "done")

