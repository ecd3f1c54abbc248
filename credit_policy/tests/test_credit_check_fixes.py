from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.credit_policy.models.credit_policy_check import CreditPolicyCheck

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditCheckFixes(CreditExposureCommon):
    """One horizon rule, group temporary limits and snapshots, prepayment at
    delivery, one evaluation per confirmation, a refresh that never blocks
    accounting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = cls.env["credit.policy.check"]

    def _member(self, name="Member", limit=0.0):
        member = self._credit_customer(name, limit)
        member.credit_group_head_id = self.customer
        return member

    # Finding 1: one horizon rule -------------------------------------------

    def test_down_payment_beyond_horizon_not_subtracted(self):
        order = self._order(self.customer, 10, days=60)  # horizon is 30 days
        self._paid_down_payment(order, 300.0)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["open_order"], 0.0)
        self.assertEqual(exposure["down_payment"], 0.0, "the order is not counted: nothing to deduct")
        self.assertEqual(self._figures(self.customer)["exposure"], 0.0)

    def test_down_payment_within_horizon_subtracted(self):
        order = self._order(self.customer, 10, days=5)
        self._paid_down_payment(order, 300.0)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["open_order"], 1000.0)
        self.assertEqual(exposure["down_payment"], -300.0)

    def test_delivery_uses_the_same_horizon_rule(self):
        within = self._order(self.customer, 1, days=5)
        beyond = self._order(self.customer, 1, days=60)
        for order, counted in ((within, True), (beyond, False)):
            move = order.picking_ids.move_ids
            self.assertEqual(order.picking_ids._credit_policy_counted_in_exposure(move), counted)
            self.assertEqual(
                bool(self.check._order_lines_due_within_horizon(order.order_line, self.company)),
                counted,
            )

    # Finding 2: a member's temporary limit raises the group's limit ---------

    def test_member_temporary_limit_counts_for_the_group(self):
        member = self._member()
        self.env["credit.policy.temporary.limit"].sudo().create(
            {
                "partner_id": member.id,
                "company_id": self.company.id,
                "amount": 500.0,
                "reason": "Seasonal peak of the member",
                "state": "approved",
            }
        )
        figures = self._figures(member)
        self.assertEqual(figures["temporary_limit"], 500.0)
        self.assertEqual(figures["effective_limit"], 1500.0)
        self.assertFalse(self.check._evaluate(member, amount=1200.0).blocked)

    # Finding 3: a member's snapshot mirrors its group ----------------------

    def test_member_snapshot_mirrors_the_group(self):
        member = self._member()
        self._order(member, 17, price=50.0)  # 850 of the head's 1000
        self._run_precommit()
        Partner = self.env["res.partner"]
        self.assertIn(member, Partner.search([("credit_usage_percent", ">", 80.0)]))
        self.assertIn(member, Partner.search([("credit_status", "=", "warn")]))
        rows = self.env["credit.policy.status"].search([("partner_id", "in", (member | self.customer).ids)])
        self.assertEqual(set(rows.mapped("usage_percent")), {85.0})
        self.assertEqual(member.credit_usage_percent, 85.0, "the form agrees with the search")
        warnings = self.env["mail.activity"].search(
            [("activity_type_id", "=", self.env.ref("credit_policy.mail_activity_type_credit_warning").id),
             ("res_model", "=", "res.partner"), ("res_id", "in", (member | self.customer).ids)]
        )
        self.assertEqual(warnings.mapped("res_id"), [self.customer.id], "the head escalates once")

    # Finding 4: no temporary limit when the limit is not the problem --------

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

    # Finding 5: the prepayment blocks the delivery, not the confirmation ----

    def test_full_prepayment_confirms_then_blocks_delivery(self):
        self.company.credit_check_mode = "block"
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(100.0)
        order = self._order(self.customer, 2, confirm=False)
        self.assertIn("prepayment of", order.credit_check_message)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        picking = order.picking_ids
        result = picking._credit_policy_evaluate()[2]
        self.assertEqual(result.failure_codes, ["prepayment"])
        self._paid_down_payment(order, 200.0)
        self.assertFalse(picking._credit_policy_evaluate()[2].blocked)

    # Finding 6: one evaluation per order and confirmation ------------------

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

    # Finding 7: a failing refresh never blocks accounting ------------------

    def test_refresh_failure_does_not_block_posting(self):
        # Escalation cannot find the credit department any more.
        self.env["ir.model.data"].search(
            [("module", "=", "credit_policy"), ("name", "=", "group_credit_policy_manager")]
        ).unlink()
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, amounts=[900.0], taxes=self.env["account.tax"],
        )
        with self.assertLogs("odoo.addons.credit_policy.models.credit_policy_status", "ERROR"):
            invoice.action_post()
            self._run_precommit()
        self.assertEqual(invoice.state, "posted")
        self._pay(invoice, 900.0)
        self.assertEqual(invoice.payment_state, "paid")
