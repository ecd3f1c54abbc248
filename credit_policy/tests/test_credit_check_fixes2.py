from unittest.mock import patch

from psycopg2 import errors

from odoo.tests import Form, tagged

from odoo.addons.credit_policy.models.credit_policy_status import CreditPolicyStatus

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditCheckFixes2(CreditExposureCommon):
    """Concurrency errors reach Odoo's retry, prepayment per shipped order,
    paid quotations add no new credit, one horizon query per delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = cls.env["credit.policy.check"]
        cls.status = cls.env["credit.policy.status"]

    # Finding 1: concurrency errors are not swallowed -----------------------

    def test_refresh_reraises_concurrency_errors_only(self):
        # Run the refresh the fixtures scheduled, before the fault is injected.
        self.env.cr.flush()

        def serialization_failure(*args, **kwargs):
            raise errors.SerializationFailure("could not serialize access")

        with patch.object(CreditPolicyStatus, "_refresh_account", serialization_failure), \
                self.assertRaises(errors.SerializationFailure):
            self.status._refresh(self.customer, self.company)

        def broken(*args, **kwargs):
            raise ValueError("broken escalation")

        with patch.object(CreditPolicyStatus, "_refresh_account", broken), \
                self.assertLogs("odoo.addons.credit_policy.models.credit_policy_status", "ERROR"):
            self.assertFalse(self.status._refresh(self.customer, self.company))

    # Finding 3: the prepayment of the orders the moves ship ----------------

    def test_prepayment_checked_on_the_orders_of_the_moves(self):
        self.customer.with_company(self.company).credit_grade_id = self._prepayment_grade(50.0)
        paid = self._order(self.customer, 2)
        self._paid_down_payment(paid, 100.0)  # 50 % of 200: nothing due
        unpaid = self._order(self.customer, 1)  # 50 % of 100 due
        picking = paid.picking_ids
        unpaid.picking_ids.move_ids.picking_id = picking
        moves = picking.move_ids
        self.assertEqual(moves.sale_line_id.order_id, paid | unpaid)
        moves.quantity = 1
        moves.picked = True
        result = picking._credit_policy_evaluate(moves=moves, partner=self.customer)[2]
        self.assertEqual(result.failure_codes, ["prepayment"])
        self.assertEqual(result.figures["prepayment_due"], 50.0)
        paid_only = picking._credit_policy_evaluate(
            moves=moves.filtered(lambda m: m.sale_line_id.order_id == paid), partner=self.customer
        )[2]
        self.assertFalse(paid_only.blocked, "the paid order's moves ship")

    # Finding 4: a paid quotation adds no new credit ------------------------

    def test_paid_quotation_of_debtor_without_limit_confirms(self):
        self.company.credit_check_mode = "block"
        debtor = self._credit_customer("Paying Debtor", 0.0)
        self._invoice(self._deliver_order(debtor))
        quotation = self._order(debtor, 1, confirm=False)
        self.assertEqual(quotation._credit_evaluate().failure_codes, ["debt_without_limit"])
        self._paid_down_payment(quotation, quotation.amount_total)
        self.assertEqual(quotation._credit_check_amount(), 0.0)
        quotation.action_confirm()
        self.assertEqual(quotation.state, "sale")

    def test_partly_paid_quotation_adds_the_rest(self):
        quotation = self._order(self.customer, 3, confirm=False)
        self._paid_down_payment(quotation, 100.0)
        self.assertEqual(quotation._credit_check_amount(), 200.0)

    def test_debt_without_limit_offers_a_temporary_limit(self):
        self.company.credit_check_mode = "block"
        debtor = self._credit_customer("Debtor Asking", 0.0)
        self._invoice(self._deliver_order(debtor))
        quotation = self._order(debtor, 1, confirm=False)
        wizard = Form.from_action(self.env, quotation.action_confirm()).save()
        self.assertEqual(wizard.shortfall, 400.0, "the debt and the order")
        action = wizard.action_request_temporary_limit()
        request = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(request.amount, 400.0)
        self.assertEqual(request.partner_id, debtor)

    def _deliver_order(self, partner):
        order = self._order(partner, 3)
        self._deliver(order, 3)
        return order

    # Finding 5: one horizon query for all the moves ------------------------

    def test_counted_moves_in_one_query(self):
        within = self._order(self.customer, 1, days=5)
        beyond = self._order(self.customer, 1, days=60)
        picking = within.picking_ids
        beyond.picking_ids.move_ids.picking_id = picking
        moves = picking.move_ids
        with patch.object(
            type(self.check), "_order_lines_due_within_horizon", autospec=True,
            side_effect=type(self.check)._order_lines_due_within_horizon,
        ) as spy:
            counted = picking._credit_policy_counted_moves(moves)
        self.assertEqual(spy.call_count, 1)
        self.assertEqual(counted, within.picking_ids.move_ids.filtered(
            lambda m: m.sale_line_id.order_id == within
        ))
