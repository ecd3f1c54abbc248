from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.credit_policy import policy

from .common import CreditGradingCommon, CreditPolicyDeliveryCase


def _flag_vals(partner, type_xmlid="credit_policy.credit_policy_red_flag_type_bounced_cheque", env=None):
    return {
        "partner_id": partner.id,
        "type_id": env.ref(type_xmlid).id,
        "evidence": "Cheque no. 4711 returned by the bank",
    }


@tagged("post_install", "-at_install")
class TestCreditRedFlagReview(CreditGradingCommon):
    """A red flag acts at once (issue 8, item 5): an event-triggered
    re-evaluation due within 48 hours, graded with the grade the table names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(
            cls.env, "cprf_ctrl", groups="base.group_user,credit_policy.group_credit_policy_controller"
        )

    def _raise_flag(self, partner=None, user=None, **context):
        Flag = self.env["credit.policy.red.flag"].with_user(user or self.controller).with_context(**context)
        return Flag.create(_flag_vals(partner or self.customer, env=self.env))

    def _open_evaluations(self, partner=None):
        return self.env["credit.policy.evaluation"].search(
            [("partner_id", "=", (partner or self.customer).id), ("state", "in", ("draft", "to_approve"))]
        )

    def test_red_flag_opens_event_review_due_in_48_hours(self):
        self.assertFalse(self._open_evaluations())
        flag = self._raise_flag()
        evaluation = self._open_evaluations()
        self.assertEqual(len(evaluation), 1)
        self.assertRecordValues(
            evaluation,
            [{"kind": "event", "trigger": "red_flag", "state": "draft", "company_id": self.company.id}],
        )
        self.assertEqual(flag.evaluation_id, evaluation)
        self.assertIn("Cheque no. 4711", evaluation.event_description)
        self.assertEqual(evaluation.deadline, evaluation.create_date + timedelta(hours=48))
        self.assertTrue(evaluation.activity_ids, "someone is asked to review it")
        self.assertEqual(evaluation.red_flag_ids, flag)
        self.assertEqual(evaluation.grade_id, self.grade["C"])
        # A second flag joins the open review instead of opening another one.
        second = self._raise_flag()
        self.assertEqual(self._open_evaluations(), evaluation)
        self.assertEqual(second.evaluation_id, evaluation)
        self.assertEqual(evaluation.red_flag_ids, flag | second)

    def test_open_evaluation_becomes_the_review(self):
        draft = self._evaluation(40, 30, 30, user=self.salesperson)
        self.assertEqual(draft.grade_id, self.grade["AAA"])
        flag = self._raise_flag()
        self.assertEqual(self._open_evaluations(), draft, "no second evaluation")
        self.assertEqual(flag.evaluation_id, draft)
        self.assertEqual(draft.grade_id, self.grade["C"], "the draft is graded with the flag at once")

    def test_review_created_by_the_server_only(self):
        flag = self._raise_flag(default_state="approved", default_kind="review", default_trigger="manual")
        self.assertRecordValues(flag.evaluation_id, [{"state": "draft", "kind": "event", "trigger": "red_flag"}])
        other = self._evaluation(40, 30, 30)
        with self.assertRaises(AccessError):
            flag.with_user(self.controller).write({"evaluation_id": False})
        with self.assertRaises(AccessError):
            flag.with_user(self.controller).write({"evaluation_id": other.id})
        with self.assertRaises(AccessError):
            self.env["credit.policy.red.flag"].with_user(self.controller).create(
                dict(_flag_vals(self.customer, env=self.env), evaluation_id=other.id)
            )
        self.assertEqual(flag.evaluation_id.state, "draft")

    def test_only_credit_manager_cancels_the_review(self):
        evaluation = self._raise_flag().evaluation_id
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).action_cancel()
        with self.assertRaises(UserError):
            evaluation.unlink()
        evaluation.with_user(self.credit_manager).action_cancel()
        self.assertEqual(evaluation.state, "cancel")

    def test_grade_forced_is_the_tables(self):
        self.assertEqual(self.table.red_flag_grade_id, self.grade["C"])
        four = self.env.ref("credit_policy.credit_policy_grade_table_four")
        self.assertEqual(four.red_flag_grade_id, self.env.ref("credit_policy.credit_policy_grade_four_d"))
        self._raise_flag()
        # A table may name a better grade: a red flag then puts a better-scored
        # customer down to it, and never lifts a worse-scored one.
        self.table.sudo().red_flag_grade_id = self.grade["B"]
        self.assertEqual(self._evaluation(40, 30, 30).grade_id, self.grade["B"])
        self.assertEqual(self._evaluation(20, 18, 21).grade_id, self.grade["C"], "59 points stay C")
        # The four-level table forces D.
        self.company.credit_grade_table_id = four
        self.assertEqual(self._evaluation(40, 30, 30).grade_id.code, "D")
        with self.assertRaises(ValidationError):
            four.sudo().red_flag_grade_id = self.grade["C"]  # a grade of another table

    def test_policy_forced_index(self):
        grades = [policy.GradeRule(code, score, 0, 0, True) for code, score in (("A", 80), ("B", 60), ("C", 0))]
        self.assertEqual(policy.compute_grade(grades, 95, 40, 30, has_red_flag=True).index, 2)
        result = policy.compute_grade(grades, 95, 40, 30, has_red_flag=True, red_flag_index=1)
        self.assertEqual((result.index, result.steps), (1, ("band", "red_flag")))
        self.assertEqual(policy.compute_grade(grades, 10, 0, 0, has_red_flag=True, red_flag_index=1).index, 2)


@tagged("post_install", "-at_install")
class TestCreditRedFlagHold(CreditPolicyDeliveryCase):
    """Until the red flag's re-evaluation is decided, the customer's order
    confirmations and deliveries are held (a company setting, on by default)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = cls.env.ref("credit_policy.credit_policy_grade_table_five")
        cls.company.credit_grade_table_id = cls.table
        cls.sales = new_test_user(
            cls.env, "cprf_sales", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )

    def _raise_flag(self):
        return (
            self.env["credit.policy.red.flag"]
            .with_user(self.controller)
            .create(_flag_vals(self.customer, env=self.env))
        )

    def _quotation(self, qty=1):
        return self.env["sale.order"].with_user(self.sales).create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": 100.0, "tax_id": False}
                    )
                ],
            }
        )

    def test_setting_on_by_default(self):
        company = self.env["res.company"].create({"name": "Fresh Credit Co"})
        self.assertTrue(company.credit_red_flag_hold)

    def test_confirmation_held_until_review_cancelled(self):
        self.company.credit_check_mode = "block"
        order = self._quotation()  # 100 of a 1,000 limit
        evaluation = self._raise_flag().evaluation_id
        action = order.with_user(self.sales).action_confirm()
        self.assertEqual(action.get("res_model"), "credit.policy.order.check.wizard")
        self.assertEqual(order.state, "draft")
        message = order._confirmation_error_message()
        self.assertIn("red flag", message)
        self.assertIn(evaluation.name, message)
        self.assertIn("red_flag_pending", order._credit_evaluate().failure_codes)
        evaluation.with_user(self.manager).action_cancel()
        self.assertIs(order.with_user(self.sales).action_confirm(), True)
        self.assertEqual(order.state, "sale")

    def test_delivery_held_until_review_approved(self):
        picking = self._create_sale_delivery(1)  # confirmed before the flag
        evaluation = self._raise_flag().evaluation_id
        wizard = self._assert_prompt(self._validate(picking))
        self.assertIn("red_flag_pending", wizard.release_ids.failure_codes)
        self.assertEqual(picking.state, "assigned")
        # The review is decided: no tier applies here, a Credit Manager approves.
        self.env["tier.definition"].search([("model", "=", "credit.policy.evaluation")]).active = False
        evaluation.with_user(self.controller).action_submit()
        evaluation.with_user(self.manager).action_approve()
        self.assertEqual(evaluation.state, "approved")
        _value, _uncounted, result = picking._credit_policy_evaluate()
        self.assertNotIn("red_flag_pending", result.failure_codes)
        # Grade C was applied: cash before delivery now decides (100 % prepayment).
        self.assertIn("prepayment", result.failure_codes)

    def test_lifted_or_switched_off_no_hold(self):
        picking = self._create_sale_delivery(1)
        flag = self._raise_flag()
        self.company.credit_red_flag_hold = False
        self.assertIs(self._validate(picking), True, "the setting is off")
        self.assertEqual(flag.evaluation_id.state, "draft", "the review is opened all the same")
        self.company.credit_red_flag_hold = True
        order = self._quotation()
        self.assertIn("red_flag_pending", order._credit_evaluate().failure_codes)
        flag.with_user(self.controller).active = False
        self.assertNotIn("red_flag_pending", order._credit_evaluate().failure_codes, "a lifted flag holds nothing")
