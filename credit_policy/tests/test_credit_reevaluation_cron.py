from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditReevaluationCron(CreditGradingCommon):
    def _graded(self, name, grade, limit, **vals):
        partner = self.env["res.partner"].create({"name": name, "is_company": True, **vals})
        partner.with_company(self.company)._credit_policy_set_master_data(
            {"credit_grade_id": grade.id, "credit_limit": limit, "credit_term_days": grade.max_term_days},
            reason="test setup",
        )
        return partner.with_company(self.company)

    def _evaluations(self, partner):
        return self.env["credit.policy.evaluation"].search([("partner_id", "=", partner.id)])

    def test_due_review_creates_one_draft_with_activity(self):
        today = fields.Date.context_today(self.env.user)
        due = self._graded("Due customer", self.grade["A"], 100000, user_id=self.salesperson.id)
        due.credit_next_review_date = today - relativedelta(days=1)
        not_due = self._graded("Not due customer", self.grade["A"], 100000)
        not_due.credit_next_review_date = today + relativedelta(days=1)
        evaluation_model = self.env["credit.policy.evaluation"]
        evaluation_model._cron_create_periodic_reevaluations()
        evaluation = self._evaluations(due)
        self.assertRecordValues(evaluation, [{"state": "draft", "kind": "review", "trigger": "periodic"}])
        self.assertEqual(evaluation.activity_ids.user_id, self.salesperson)
        self.assertFalse(self._evaluations(not_due))
        evaluation_model._cron_create_periodic_reevaluations()
        self.assertEqual(len(self._evaluations(due)), 1, "no duplicate while one is open")

    def test_without_salesperson_the_credit_managers_get_the_activity(self):
        due = self._graded("Orphan customer", self.grade["B"], 50000)
        due.credit_next_review_date = fields.Date.context_today(self.env.user) - relativedelta(days=3)
        self.env["credit.policy.evaluation"]._cron_create_periodic_reevaluations()
        self.assertIn(self.credit_manager, self._evaluations(due).activity_ids.user_id)

    def _invoice(self, partner, due_date, amount=1000.0):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due_date - relativedelta(days=30),
                "invoice_date_due": due_date,
                "invoice_line_ids": [
                    fields.Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _pay(self, invoice, date):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": date})._create_payments()

    def test_two_poor_months_propose_a_downgrade(self):
        first_of_month = fields.Date.context_today(self.env.user).replace(day=1)
        poor = self._graded("Poor payer", self.grade["A"], 100000)
        excused = self._graded("Excused payer", self.grade["A"], 100000)
        for partner in (poor, excused):
            self._invoice(partner, first_of_month - relativedelta(months=2) + relativedelta(days=4))
            late = self._invoice(partner, first_of_month - relativedelta(months=1) + relativedelta(days=4))
            self._pay(late, first_of_month - relativedelta(days=1))
        self.env["account.move"].search([("partner_id", "=", excused.id)]).write(
            {"credit_late_payment_reason": "Our late delivery"}
        )
        self.env["credit.policy.evaluation"]._cron_check_payment_behaviour()
        evaluation = self._evaluations(poor)
        self.assertRecordValues(
            evaluation, [{"trigger": "poor_payment", "state": "draft", "suggested_grade_id": self.grade["B"].id}]
        )
        self.assertFalse(self._evaluations(excused))

    def _good_payer(self, name, limit):
        """A customer of grade A paying each of the last three months' due
        dates two days early, last reviewed eight months ago."""
        first_of_month = fields.Date.context_today(self.env.user).replace(day=1)
        good = self._graded(name, self.grade["A"], limit)
        good.credit_last_review_date = first_of_month - relativedelta(months=8)
        for months_back in (1, 2, 3):
            due = first_of_month - relativedelta(months=months_back) + relativedelta(days=9)
            self._pay(self._invoice(good, due), due - relativedelta(days=2))
        return good

    def test_good_payer_gets_an_upgrade_proposal(self):
        good = self._good_payer("Good payer", 100000)
        self.env["credit.policy.evaluation"]._cron_check_payment_behaviour()
        evaluation = self._evaluations(good)
        increase = self.company.credit_max_limit_increase_percent
        self.assertRecordValues(
            evaluation,
            [
                {
                    "trigger": "good_payment",
                    "suggested_grade_id": self.grade["AA"].id,
                    "proposed_limit": 100000 * (1 + increase / 100),
                }
            ],
        )

    def test_upgrade_proposal_stays_within_the_grade_it_is_scored_at(self):
        near_the_top = self._good_payer("Near the top", 180000)  # A: at most 200,000
        self.env["credit.policy.evaluation"]._cron_check_payment_behaviour()
        evaluation = self._evaluations(near_the_top)
        self.assertEqual(evaluation.suggested_grade_id, self.grade["AA"])
        self.assertEqual(evaluation.proposed_limit, 200000, "not 216,000: above what A allows")
