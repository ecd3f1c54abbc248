from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditExposureCommon, CreditGradingCommon, complete_key_data


def _net_days_term(env, days, name=None):
    return env["account.payment.term"].create(
        {
            "name": name or f"Test {days} days",
            "early_discount": False,
            "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": days})],
        }
    )


@tagged("post_install", "-at_install")
class TestCreditTermGranted(CreditGradingCommon):
    """The granted credit term becomes the customer's payment terms (issue 8, item 6)."""

    def _approve(self, partner, term_days):
        evaluation = self._evaluation(32, 25, 28, partner=partner, user=self.salesperson)  # AA, at most 45 days
        evaluation.write({"proposed_limit": 150000, "proposed_term_days": term_days})
        evaluation.action_submit()
        evaluation = evaluation.with_user(self.env.user)
        for user in (self.regional_manager, self.sales_manager, self.finance):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "approved")

    def test_approval_sets_payment_terms(self):
        self._approve(self.customer, 45)
        term = self.customer.with_company(self.company).property_payment_term_id
        self.assertEqual(len(term.line_ids), 1)
        self.assertRecordValues(
            term.line_ids, [{"value": "percent", "value_amount": 100.0, "delay_type": "days_after", "nb_days": 45}]
        )
        self.assertEqual(term._credit_policy_term_days(fields.Date.to_date("2025-01-31")), 45)
        # Another customer granted the same term gets the same payment terms.
        other = self.env["res.partner"].create({"name": "CPG Other", "is_company": True, **complete_key_data(self.env)})
        self._establish_customer(other)
        self._approve(other, 45)
        self.assertEqual(other.with_company(self.company).property_payment_term_id, term)

    def test_existing_payment_terms_reused(self):
        thirty = self.env.ref("account.account_payment_term_30days")
        self._approve(self.customer, 30)
        self.assertEqual(self.customer.with_company(self.company).property_payment_term_id, thirty)

    def test_change_credit_sets_payment_terms(self):
        partner = self.customer.with_company(self.company)
        wizard = (
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.customer.id, "company_id": self.company.id, "reason": "Agreed 20 days"})
        )
        wizard.write({"grade_id": self.grade["B"].id, "credit_limit": 40000, "term_days": 15})
        wizard.action_apply()
        self.assertEqual(partner.property_payment_term_id.line_ids.nb_days, 15)
        self.assertEqual(partner.property_payment_term_id._credit_policy_term_days(), 15)


@tagged("post_install", "-at_install")
class TestCreditTermCheck(CreditExposureCommon):
    """Orders and invoices may not give more days to pay than the credit term,
    nor than the grade's maximum term."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).credit_term_days = 30
        cls.term_30 = _net_days_term(cls.env, 30)
        cls.term_31 = _net_days_term(cls.env, 31)
        cls.check = cls.env["credit.policy.check"]

    def _quotation(self, term, partner=None):
        order = self._order(partner or self.customer, 1, confirm=False)
        order.payment_term_id = term
        return order

    def _invoice_draft(self, term):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": 100.0, "tax_ids": []})
                ],
            }
        )

    def test_order_beyond_granted_term_blocked(self):
        self.company.credit_check_mode = "block"
        self.assertEqual(
            self.customer.with_company(self.company).property_payment_term_id._credit_policy_term_days(), 30,
            "the granted term is the customer's payment terms",
        )
        late = self._quotation(self.term_31)
        result = late._credit_evaluate()
        self.assertEqual(result.failure_codes, ["payment_term"])
        self.assertIn("31 days", result.message())
        self.assertIn("30 days", result.message())
        late.action_confirm()
        self.assertEqual(late.state, "draft")
        self.assertIn("31 days", late._confirmation_error_message())
        on_time = self._quotation(self.term_30)
        self.assertIs(on_time.action_confirm(), True)
        self.assertEqual(on_time.state, "sale")

    def test_delivery_of_order_beyond_term_blocked(self):
        order = self._quotation(self.term_31)
        order.action_confirm()  # check mode off: confirmed all the same
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "31 days"):
            picking.with_context(skip_backorder=True)._action_done()

    def test_invoice_beyond_granted_term(self):
        self.company.credit_check_mode = "block"
        late = self._invoice_draft(self.term_31)
        with self.assertRaisesRegex(UserError, "31 days"):
            late.action_post()
        self.assertEqual(late.state, "draft")
        on_time = self._invoice_draft(self.term_30)
        on_time.action_post()
        self.assertEqual(on_time.state, "posted")
        # Warn mode posts, with a note saying why.
        self.company.credit_check_mode = "warn"
        late.action_post()
        self.assertEqual(late.state, "posted")
        self.assertIn("31 days", late.message_ids[0].body)

    def test_grade_maximum_term_bounds_granted_term(self):
        self.company.credit_check_mode = "block"
        grade = self._prepayment_grade(0.0)  # at most 30 days
        grade.sudo().max_term_days = 20
        partner = self.customer.with_company(self.company)
        # A legacy term beyond a since-tightened grade: the grade's bound wins.
        partner.sudo().write({"credit_grade_id": grade.id, "credit_term_days": 30})
        result = self._quotation(self.term_30)._credit_evaluate()
        self.assertEqual(result.failure_codes, ["payment_term"])
        self.assertIn("grade P", result.message())
        self.assertIn("at most 20 days", result.message())
        self.assertFalse(self._quotation(_net_days_term(self.env, 20))._credit_evaluate().blocked)

    def test_customer_without_grant_is_left_to_the_no_limit_rules(self):
        newcomer = self._credit_customer("No Grant Ltd")
        self.assertIsNone(self.check._credit_term_grant(newcomer, newcomer, self.company))
