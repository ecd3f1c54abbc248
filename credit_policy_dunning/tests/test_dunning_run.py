from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRun(DunningCommon):
    def test_stage_from_the_oldest_overdue_item(self):
        self._overdue_invoice(self.customer, 300.0, 5)
        self._overdue_invoice(self.customer, 200.0, 20)
        run = self._prepare()
        line = self._line(run)
        self.assertEqual(line.stage_id, self.stages[2])
        self.assertEqual(line.amount_total, 500.0)
        self.assertEqual(line.max_days_overdue, 20)
        self.assertEqual(len(line.move_line_ids), 2)
        self.assertEqual(line.state, "proposed")
        self.assertFalse(self._stage(), "proposing moves nobody")

    def test_proposed_action_stores_its_run_and_salesperson_without_chatter_noise(self):
        self._overdue_invoice(self.customer, 300.0, 20)
        # The context of a real run: mail's creation log and subscription on.
        Run = self.env["credit.policy.dunning.run"].with_user(self.controller).with_context(
            tracking_disable=False, mail_create_nolog=False, mail_create_nosubscribe=False, mail_notrack=False
        )
        run = Run._prepare(self.company, self.today, None, None)
        line = self._line(run)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT company_id, date, user_id FROM credit_policy_dunning_line WHERE id = %s", [line.id]
        )
        self.assertEqual(self.env.cr.fetchone(), (self.company.id, self.today, self.salesperson.id))
        self.assertFalse(line.message_follower_ids, "the controller reviews the run, not each proposed action")
        self.assertFalse(line.message_ids, "no creation message per proposed action")

    def test_same_date_twice_produces_nothing_new(self):
        self._overdue_invoice(self.customer, 300.0, 20)
        run = self._run()
        self.assertEqual(self._line(run).state, "done")
        self.assertEqual(self._stage(), self.stages[2])
        self.assertFalse(self._prepare(), "second run on the same date: nothing new")
        lines = self.env["credit.policy.dunning.line"].sudo().search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(lines), 1)

    def test_interrupted_run_resumes_without_duplicates(self):
        other = self._credit_customer("Second Debtor")
        other.email = "second@example.com"
        self._overdue_invoice(self.customer, 300.0, 20)
        self._overdue_invoice(other, 400.0, 20)
        run = self._prepare()
        self.assertEqual(len(run.line_ids), 2)
        # The scheduled run did one batch, then stopped.
        executed, remaining = run.with_user(self.controller)._execute_lines(limit=1)
        self.assertEqual((executed, remaining), (1, 1))
        self.assertEqual(run.state, "draft")
        # Preparing again on that date resumes the same run: nothing proposed twice.
        again = self._prepare()
        self.assertEqual(again, run)
        self.assertEqual(len(run.line_ids), 2)
        again.action_execute()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.line_ids.mapped("state"), ["done", "done"])
        self.assertEqual(len(run.line_ids.mail_id), 2, "one email per customer")
        self.assertFalse(self._prepare())

    def test_next_stage_only_when_the_days_say_so(self):
        invoice = self._overdue_invoice(self.customer, 300.0, 5)
        self._run()
        self.assertEqual(self._stage(), self.stages[1])
        # The invoice ages into stage 2: a new action for the same invoice.
        self._receivable_line(invoice).date_maturity = self.today - timedelta(days=16)
        run = self._run()
        self.assertEqual(self._line(run).stage_id, self.stages[2])
        self.assertEqual(self._stage(), self.stages[2])

    def test_partial_payment_shows_the_new_residual(self):
        invoice = self._overdue_invoice(self.customer, 1000.0, 20)
        self._pay(invoice, 400.0)
        run = self._run()
        line = self._line(run)
        self.assertEqual(line.amount_total, 600.0)
        html = self.env["ir.actions.report"]._render_qweb_html(line.stage_id.report_id, line.ids)[0].decode()
        self.assertIn(invoice.name, html)
        self.assertIn("600.00", html)
        self.assertNotIn("1,000.00", html)

    def test_full_payment_no_letter_and_shipping_effect_lifted(self):
        invoice = self._overdue_invoice(self.customer, 1000.0, 50)
        self._run()
        self.assertEqual(self._stage(), self.stages[4])
        check = self.env["credit.policy.check"]
        self.assertEqual(check._dunning_active_stage(self.customer, self.company), self.stages[4])
        self._pay(invoice, 1000.0)
        # The effect lifts at once, before any run.
        self.assertFalse(check._dunning_active_stage(self.customer, self.company))
        self.assertFalse(self._prepare(), "paid in full: no letter")
        self.assertFalse(self._stage(), "the next run takes the customer off the ladder")

    def test_unallocated_payment_is_netted_from_the_oldest_items(self):
        self._overdue_invoice(self.customer, 300.0, 40)
        self._overdue_invoice(self.customer, 500.0, 20)
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 350.0,
                "date": self.today,
            }
        )
        payment.action_post()
        line = self._line(self._prepare())
        self.assertEqual(line.amount_total, 450.0)
        self.assertEqual(line.max_days_overdue, 20, "the oldest invoice is covered by the payment")
        self.assertEqual(line.stage_id, self.stages[2])

    def test_small_residuals_and_disputed_invoices_are_left_out(self):
        small = self._overdue_invoice(self.customer, 8.0, 70)
        disputed = self._overdue_invoice(self.customer, 900.0, 50)
        self._overdue_invoice(self.customer, 200.0, 20)
        disputed.with_user(self.controller).write(
            {"dunning_excluded": True, "dunning_exclusion_reason": "Goods returned, credit note pending"}
        )
        line = self._line(self._prepare())
        self.assertEqual(line.stage_id, self.stages[2])
        self.assertEqual(line.amount_total, 200.0)
        self.assertNotIn(small, line.move_line_ids.move_id)
        self.assertNotIn(disputed, line.move_line_ids.move_id)

    def test_promise_to_pay_pauses_then_escalates_when_broken(self):
        self._overdue_invoice(self.customer, 1000.0, 20)
        self._run()
        self.assertEqual(self._stage(), self.stages[2])
        tomorrow = self.today + timedelta(days=1)
        self.customer.with_user(self.controller).with_company(self.company).write(
            {"dunning_promise_amount": 600.0, "dunning_promise_date": tomorrow}
        )
        partner = self.customer.sudo().with_company(self.company)
        self.assertEqual(partner.dunning_promise_base_amount, 1000.0)
        # A new overdue invoice would call for stage 2 again: the promise pauses it.
        self._overdue_invoice(self.customer, 300.0, 17)
        self.assertFalse(self._prepare(date=self.today))
        # Past the promised date without the payment (runs are never dated in
        # the future: the promise is moved back instead): one stage up at once.
        partner.write({"dunning_promise_date": self.today - timedelta(days=1)})
        run = self._run()
        self.assertEqual(self._line(run).stage_id, self.stages[3])
        self.assertEqual(self._line(run).promise_state, "broken")
        partner.invalidate_recordset()
        self.assertFalse(partner.dunning_promise_date, "the broken promise is closed")
        self.assertEqual(self._stage(), self.stages[3])

    def test_kept_promise_closes_without_escalation(self):
        invoice = self._overdue_invoice(self.customer, 1000.0, 20)
        self._run()
        self.customer.with_user(self.controller).with_company(self.company).write(
            {"dunning_promise_amount": 600.0, "dunning_promise_date": self.today}
        )
        self._pay(invoice, 600.0)
        partner = self.customer.sudo().with_company(self.company)
        partner.write({"dunning_promise_date": self.today - timedelta(days=1)})
        self.assertFalse(self._prepare(), "stage 2 already sent for this invoice")
        partner.invalidate_recordset()
        self.assertFalse(partner.dunning_promise_date)

    def test_multi_company_isolation(self):
        other_company = self.setup_other_company()["company"]
        self._overdue_invoice(self.customer, 500.0, 20)
        self._overdue_invoice(self.customer, 700.0, 50, company=other_company)
        self.controller.company_ids += other_company
        run = self._run()
        line = self._line(run)
        self.assertEqual(line.amount_total, 500.0)
        self.assertEqual(line.move_line_ids.company_id, self.company)
        self.assertEqual(self._stage(), self.stages[2])
        self.assertFalse(self._stage(company=other_company), "the other company's ladder is untouched")
        other_run = self._run(company=other_company)
        other_line = self._line(other_run)
        self.assertEqual(other_line.amount_total, 700.0)
        self.assertEqual(other_line.stage_id.company_id, other_company)
        self.assertEqual(other_line.stage_id.sequence, 4)
        self.assertEqual(self._stage(), self.stages[2])
        # A controller of the first company only sees its runs.
        self.controller.company_ids -= other_company
        visible = self.env["credit.policy.dunning.line"].with_user(self.controller).search([])
        self.assertNotIn(other_line, visible)
        self.assertIn(line, visible)

    def test_run_is_not_dated_in_the_future_nor_before_the_last_one(self):
        self._overdue_invoice(self.customer, 300.0, 20)
        with self.assertRaisesRegex(UserError, "future"):
            self._prepare(date=self.today + timedelta(days=1))
        self._run()
        with self.assertRaisesRegex(UserError, "before the last one"):
            self._prepare(date=self.today - timedelta(days=1))
