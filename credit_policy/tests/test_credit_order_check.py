from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged, users

from odoo.addons.credit_policy.models.credit_policy_check import CreditPolicyCheck

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditOrderCheck(CreditExposureCommon):
    """Credit check at order confirmation in off / warn / block modes, and its rules:
    one evaluation per confirmation, paid down payments deducted from the amount
    checked, a temporary limit offered only when the limit is the problem."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_manager = new_test_user(
            cls.env, "oc_credit", groups="credit_policy.group_credit_policy_manager",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )
        new_test_user(
            cls.env, "oc_sales", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )
        cls.check = cls.env["credit.policy.check"]

    def test_off_mode_confirms(self):
        order = self._order(self.customer, 20)
        self.assertEqual(order.state, "sale")

    def test_warn_mode_confirms_and_posts_warning(self):
        self.company.credit_check_mode = "warn"
        order = self._order(self.customer, 20, confirm=False)
        res = order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(res["tag"], "display_notification")
        self.assertIn("exceeds the effective credit limit", order.message_ids[0].body)

    def test_block_mode_wizard_requests_temporary_limit(self):
        self.company.credit_check_mode = "block"
        self._order(self.customer, 3, confirm=False).action_confirm()  # 300 of 1000 used
        order = self._order(self.customer, 9, confirm=False)
        self.assertIn("exceeds the effective credit limit", order.credit_check_message)
        wizard = Form.from_action(self.env, order.action_confirm())
        self.assertEqual(order.state, "draft")
        self.assertEqual(wizard.shortfall, 200.0)
        self.assertIn("exceeds the effective credit limit", wizard.message)
        action = wizard.save().action_request_temporary_limit()
        request = self.env[action["res_model"]].browse(action["res_id"])
        self.assertRecordValues(
            request, [{"state": "draft", "amount": 200.0, "order_id": order.id,
                       "partner_id": self.customer.id}]
        )
        # Once approved, the order goes through.
        request.action_request_approval()
        request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "approved")
        self.assertTrue(order.action_confirm())
        self.assertEqual(order.state, "sale")

    def test_wizard_offers_temporary_limit_only_for_the_limit_rule(self):
        self.company.write(
            {"credit_check_mode": "block", "credit_max_overdue_days": 30, "credit_overdue_tolerance_amount": 0.0}
        )
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date=fields.Date.today() - timedelta(days=45),
            amounts=[100.0], taxes=self.env["account.tax"],
        )
        invoice.invoice_date_due = fields.Date.today() - timedelta(days=45)
        invoice.action_post()
        order = self._order(self.customer, 1, confirm=False)
        wizard = Form.from_action(self.env, order.action_confirm()).save()
        self.assertIn("past due", wizard.message)
        self.assertEqual(wizard.shortfall, 0.0)
        with self.assertRaisesRegex(UserError, "other credit rules"):
            wizard.action_request_temporary_limit()
        self.assertFalse(self.env["credit.policy.temporary.limit"].search([("order_id", "=", order.id)]))

    def test_confirmation_evaluates_once(self):
        for mode in ("block", "warn"):
            self.company.credit_check_mode = mode
            order = self._order(self.customer, 1, confirm=False)
            with patch.object(
                CreditPolicyCheck, "_evaluate", autospec=True, side_effect=CreditPolicyCheck._evaluate
            ) as spy:
                order.action_confirm()
            self.assertEqual(order.state, "sale")
            self.assertEqual(spy.call_count, 1, mode)
        self.company.credit_check_mode = "block"
        order = self._order(self.customer, 20, confirm=False)
        with patch.object(
            CreditPolicyCheck, "_evaluate", autospec=True, side_effect=CreditPolicyCheck._evaluate
        ) as spy:
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(spy.call_count, 1, "the wizard reuses the result")

    def test_partly_paid_quotation_adds_the_rest(self):
        quotation = self._order(self.customer, 3, confirm=False)
        self._paid_down_payment(quotation, 100.0)
        self.assertEqual(quotation._credit_check_amount(), 200.0)

    def test_block_mode_hard_stop_for_other_paths(self):
        self.company.credit_check_mode = "block"
        order = self._order(self.customer, 20, confirm=False)
        # action_confirm raises what this returns for callers that ignore wizards.
        self.assertIn("credit policy blocks", order._confirmation_error_message())
        self.company.credit_check_mode = "warn"
        self.assertFalse(order._confirmation_error_message())

    @users("oc_sales")
    def test_salesperson_sees_banner_and_is_blocked(self):
        self.company.sudo().credit_check_mode = "block"
        order = self._order(self.customer.with_env(self.env), 5, confirm=False)
        order.invalidate_recordset()
        self.assertEqual(order.credit_available, 500.0)
        self.assertEqual(order.credit_status, "ok")
        self.assertFalse(order.credit_check_message)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_new_customer_max_order(self):
        self.company.write({"credit_check_mode": "block", "credit_new_customer_max_order": 500.0})
        newcomer = self._credit_customer("Newcomer")
        self.assertEqual(self._order(newcomer, 5).state, "sale", "500 is allowed")
        other = self._credit_customer("Other Newcomer")
        order = self._order(other, 6, confirm=False)
        result = order._credit_evaluate()
        self.assertEqual(result.failure_codes, ["new_customer_max_order"])

    def test_overdue_rules(self):
        today = fields.Date.today()
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date=today - timedelta(days=45),
            amounts=[400.0], taxes=self.env["account.tax"],
        )
        invoice.invoice_date_due = today - timedelta(days=45)
        invoice.action_post()
        self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date=today,
            amounts=[100.0], taxes=self.env["account.tax"], post=True,
        )
        self.company.write({"credit_max_overdue_percent": 0.0, "credit_max_overdue_days": 0})
        self.assertFalse(self.check._evaluate(self.customer).blocked, "0 disables the rules")
        self.company.write({"credit_max_overdue_percent": 50.0, "credit_max_overdue_days": 30})
        result = self.check._evaluate(self.customer)
        self.assertEqual(result.failure_codes, ["overdue_share", "overdue_days"])
        self.assertEqual(result.figures["overdue_amount"], 400.0)
        self.assertEqual(result.figures["oldest_overdue_days"], 45)
        self.company.credit_overdue_tolerance_amount = 500.0
        self.assertFalse(self.check._evaluate(self.customer).blocked, "small amounts ignored")

    def test_prepayment_rule(self):
        grade_table = self.env["credit.policy.grade.table"].sudo().create(
            {"name": "Watch", "company_id": self.company.id}
        )
        watch = self.env["credit.policy.grade"].sudo().create(
            {
                "table_id": grade_table.id,
                "code": "W",
                "name": "Watch",
                "prepayment_percent": 30.0,
                "max_limit": 10000.0,
                "max_term_days": 30,
            }
        )
        self.customer.with_company(self.company).credit_grade_id = watch
        order = self._order(self.customer, 10)
        result = self.check._evaluate(self.customer, order=order)
        self.assertFalse(result.blocked, "the prepayment is due before delivery, not at order entry")
        self.assertEqual(result.figures["prepayment_due"], 300.0)
        result = self.check._evaluate(self.customer, picking=order.picking_ids)
        self.assertEqual(result.failure_codes, ["prepayment"])
        self.assertEqual(result.figures["prepayment_due"], 300.0)
        down_payment = self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "fixed", "fixed_amount": 300.0})
        down_payment.create_invoices()
        invoice = order.invoice_ids
        invoice.action_post()
        self.assertEqual(self.check._evaluate(self.customer, order=order).figures["prepayment_due"], 300.0)
        self._pay(invoice, 300.0)
        result = self.check._evaluate(self.customer, picking=order.picking_ids)
        self.assertFalse(result.blocked)
        self.assertEqual(self._figures(self.customer)["exposure"], 700.0, "down payment deducted once")

    def test_credit_hold_blocks(self):
        self.customer.with_company(self.company).credit_on_hold = True
        result = self.check._evaluate(self.customer, amount=10.0)
        self.assertEqual(result.failure_codes, ["credit_hold"])
        self.assertEqual(result.figures["status"], "hold")

    def test_lock_credit_account_creates_row_once(self):
        member = self._credit_customer("Member")
        member.credit_group_head_id = self.customer
        row = self.check._lock_credit_account(member, self.company)
        self.assertEqual(row.partner_id, self.customer, "the group head's row is locked")
        self.assertEqual(self.check._lock_credit_account(self.customer, self.company), row)
