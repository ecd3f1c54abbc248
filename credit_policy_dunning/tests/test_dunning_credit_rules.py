from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.credit_policy import policy as core_policy

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCreditRules(DunningCommon):
    """The customer's dunning stage in the credit check: shipping restricted
    or stopped at delivery, new orders blocked, the letter count of seed 001."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).sudo().credit_limit = 100000.0
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 100.0)

    def _blocked_delivery(self):
        order = self._order(self.customer, 2)
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        action = picking.with_user(self.warehouse_user).button_validate()
        self.assertIsInstance(action, dict, "the delivery is blocked")
        return picking, picking.credit_release_ids.filtered(lambda r: r.state == "blocked")

    def test_restrict_stage_needs_a_controllers_release(self):
        self._overdue_invoice(self.customer, 500.0, 50)
        self._run()
        self.assertEqual(self._stage().shipping_effect, "restrict")
        picking, release = self._blocked_delivery()
        self.assertEqual(release.failure_codes, "dunning_restrict")
        self.assertEqual(release.dunning_stage, self.stages[4].name)
        self.assertFalse(release.manager_required)
        release.with_user(self.controller)._release("Customer sent a payment advice")
        self.assertIs(picking.with_user(self.warehouse_user).button_validate(), True)
        self.assertEqual(picking.state, "done")

    def test_stop_stage_needs_a_credit_managers_release(self):
        self._overdue_invoice(self.customer, 500.0, 70)
        self._run()
        self.assertEqual(self._stage().shipping_effect, "stop")
        picking, release = self._blocked_delivery()
        self.assertIn(core_policy.DUNNING_STOP_CODE, release.failure_codes.split(","))
        self.assertTrue(release.manager_required)
        with self.assertRaises(AccessError):
            release.with_user(self.controller)._release("I would like to ship")
        release.with_user(self.manager)._release("Agreed with the customer's director")
        self.assertIs(picking.with_user(self.warehouse_user).button_validate(), True)

    def test_payment_lifts_the_shipping_effect_at_once(self):
        invoice = self._overdue_invoice(self.customer, 500.0, 50)
        self._run()
        self._pay(invoice, 500.0)
        order = self._order(self.customer, 2)
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        self.assertIs(picking.with_user(self.warehouse_user).button_validate(), True)

    def test_stage_blocks_new_orders_at_confirmation_only(self):
        self.company.credit_check_mode = "block"
        self._overdue_invoice(self.customer, 500.0, 70)
        self._run()
        order = self._order(self.customer, 1, confirm=False)
        result = order._credit_evaluate()
        self.assertIn("dunning_orders", result.failure_codes)
        self.assertEqual(result.figures["dunning_stage"], self.stages[5].name)
        action = order.action_confirm()
        self.assertIsInstance(action, dict)
        self.assertEqual(order.state, "draft")

    def test_letter_count_rule_at_order_confirmation(self):
        self.company.write({"credit_check_mode": "block", "credit_dunning_max_letters": 1})
        invoice = self._overdue_invoice(self.customer, 500.0, 20)
        self._run()
        order = self._order(self.customer, 1, confirm=False)
        self.assertNotIn("dunning_letters", order._credit_evaluate().failure_codes, "one letter is allowed")
        line = self._receivable_line(invoice)
        line.date_maturity = self.today - timedelta(days=35)
        self._run()
        order.invalidate_recordset()
        result = order._credit_evaluate()
        self.assertEqual(result.figures["dunning_letter_count"], 2)
        self.assertIn("dunning_letters", result.failure_codes)
        self.assertIsInstance(order.action_confirm(), dict)
        self.assertEqual(order.state, "draft")
        # Letters on small amounts do not count.
        self.company.credit_overdue_tolerance_amount = 1000.0
        self.assertNotIn("dunning_letters", order._credit_evaluate().failure_codes)

    def test_lawyers_letter_opens_an_event_review(self):
        self._overdue_invoice(self.customer, 500.0, 70)
        run = self._run()
        line = self._line(run)
        self.assertEqual(line.stage_id.action, "lawyer")
        evaluation = line.evaluation_id
        self.assertTrue(evaluation)
        self.assertEqual(evaluation.kind, "event")
        self.assertEqual(evaluation.trigger, "poor_payment")
        self.assertEqual(evaluation.partner_id, self.customer)

    def test_lawyers_letter_starts_the_review_from_the_last_scoring_sheet(self):
        """An event review is a re-evaluation: as every other one, it starts
        from the customer's last approved scoring sheet."""
        repayment = self.env.ref("credit_policy.credit_policy_criterion_repay")
        approved = self.env["credit.policy.evaluation"].sudo().create(
            {"partner_id": self.customer.id, "company_id": self.company.id, "kind": "review"}
        )
        self.env["credit.policy.evaluation.line"].sudo().create(
            {"evaluation_id": approved.id, "criterion_id": repayment.id, "points": 25, "note": "Pays on time"}
        )
        # approved long ago (the grade table of that time is not this test's subject)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE credit_policy_evaluation SET state = 'approved', approved_date = NOW() WHERE id = %s",
            [approved.id],
        )
        self.env.invalidate_all()
        self._overdue_invoice(self.customer, 500.0, 70)
        line = self._line(self._run())
        evaluation = line.evaluation_id
        self.assertIn(f"reported to evaluation {evaluation.name}", line.result)
        self.assertRecordValues(evaluation, [{"kind": "event", "trigger": "poor_payment", "state": "draft"}])
        self.assertRecordValues(evaluation.line_ids, [{"criterion_id": repayment.id, "points": 25, "note": "Pays on time"}])

    def test_lawyers_letter_joins_the_open_evaluation(self):
        """A customer already under evaluation gets no second one: the open
        evaluation is told of the lawyer's letter, and the action names it."""
        draft = self.env["credit.policy.evaluation"].sudo().create(
            {"partner_id": self.customer.id, "company_id": self.company.id, "kind": "review"}
        )
        self._overdue_invoice(self.customer, 500.0, 70)
        line = self._line(self._run())
        self.assertEqual(line.stage_id.action, "lawyer")
        self.assertEqual(line.evaluation_id, draft)
        self.assertIn(f"reported to evaluation {draft.name}", line.result)
        self.assertTrue(
            any("Dunning reached" in message.body for message in draft.message_ids),
            "the reviewers learn of the lawyer's letter",
        )
        self.assertEqual(
            self.env["credit.policy.evaluation"].sudo().search_count([("partner_id", "=", self.customer.id)]), 1
        )

    def test_termination_puts_the_customer_on_credit_hold(self):
        self._overdue_invoice(self.customer, 500.0, 120)
        self._run()
        partner = self.customer.sudo().with_company(self.company)
        self.assertTrue(partner.credit_on_hold)
        history = self.env["credit.policy.limit.history"].sudo().search(
            [("partner_id", "=", self.customer.id), ("new_on_hold", "=", True)]
        )
        self.assertIn("Dunning", history.reason)
