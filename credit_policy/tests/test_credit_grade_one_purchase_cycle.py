"""A grade may grant at most one purchase and one purchasing cycle (seed 001:
"对A级信用较好的客户,可以有一定的赊销额度和回款期限,但赊销额度以不超过一次进货为限,
回款以不超过一个进货周期为限"; POLICY.md §2: "in some companies").

Two options of a grade, off by default: the granted limit at most the
customer's average confirmed order, the granted term at most its average days
between order days, both over the company's facts window and its credit area.
Held where grants are checked: an evaluation's submission and approval, and
Change Credit, through the RPC dispatcher as the roles who do it."""
from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy import policy

from .common import CreditGradingCommon, RpcMixin


class OnePurchaseCommon(RpcMixin, CreditGradingCommon, HttpCase):
    """The customer ordered 30,000 three times, 30 days apart, in the main
    company; grade AA (max 300,000, 45 days) grants at most one purchase and
    one purchasing cycle."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"credit_check_mode": "off", "credit_facts_window_months": 12})
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.product = cls.env["product.product"].create(
            {"name": "One Purchase Service", "type": "service", "list_price": 1.0, "taxes_id": [Command.clear()]}
        )
        cls.aa = cls.grade["AA"]
        cls.aa.write({"limit_at_most_one_purchase": True, "term_at_most_one_cycle": True})
        for days_ago in (90, 60, 30):
            cls._confirmed_order(cls.customer, 30000.0, days_ago)

    @classmethod
    def _confirmed_order(cls, partner, amount, days_ago, company=None):
        company = company or cls.company
        order = cls.env["sale.order"].with_company(company).create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": amount,
                         "tax_id": [Command.clear()]}
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime.combine(cls.today - timedelta(days=days_ago), time(12))
        return order

    def _money(self, amount):
        return self.company.currency_id.format(amount).replace("\u00a0", " ")

    def _assert_refused(self, user, model, method, args, messages, kwargs=None):
        """``user``'s RPC call is refused with a ValidationError whose message
        (logged by the server) holds each of ``messages``."""
        with self.assertLogs("odoo.http", "WARNING") as logs, self.assertRaisesRegex(
            JsonRpcException, "ValidationError"
        ):
            self._call(user, model, method, args, kwargs)
        logged = "\n".join(logs.output).replace("\u00a0", " ")
        for message in messages:
            self.assertIn(message, logged)

    # Change Credit, as the Credit Manager does it
    def _change_credit(self, limit, term_days, partner=None, company=None, grade=None):
        """Change Credit opened in ``company`` (the main one by default) and
        filled in: ``(wizard id, context)``, not applied yet."""
        context = {"allowed_company_ids": [(company or self.company).id]}
        vals = {
            "partner_id": (partner or self.customer).id,
            "grade_id": (grade or self.aa).id,
            "credit_limit": limit,
            "term_days": term_days,
            "reason": "Yearly review",
        }
        wizard_id = self._call(
            self.credit_manager, "credit.policy.limit.change.wizard", "create", [vals], {"context": context}
        )
        return wizard_id, context

    def _apply(self, wizard_id, context):
        return self._call(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            {"context": context},
        )

    def _granted(self, partner=None, company=None):
        partner = (partner or self.customer).with_company(company or self.company).sudo()
        partner.invalidate_recordset()
        return partner.credit_limit, partner.credit_term_days

    # Evaluations, as the salesperson proposes them
    def _propose(self, limit, term_days):
        """The salesperson's evaluation (grade AA) created through RPC."""
        evaluation_id = self._call(
            self.salesperson,
            "credit.policy.evaluation",
            "create",
            [
                {
                    "partner_id": self.customer.id,
                    "kind": "review",
                    "line_ids": self._lines(30, 24, 26),
                    "proposed_limit": limit,
                    "proposed_term_days": term_days,
                }
            ],
        )
        evaluation = self.env["credit.policy.evaluation"].browse(evaluation_id)
        self.assertEqual(evaluation.grade_id, self.aa)
        return evaluation

    def _approve_all_but_last(self, evaluation):
        for user in (self.regional_manager, self.sales_manager):
            self._validate_as(evaluation, user)
        self.assertEqual(evaluation.state, "to_approve")

    def _validate_by_rpc(self, user, evaluation):
        """``user``'s step as the form does it: validate, then the opinion
        wizard, left to confirm: ``(wizard id, context)``."""
        action = self._call(user, evaluation._name, "validate_tier", [evaluation.ids])
        wizard_id = self._call(
            user, "comment.wizard", "create", [{"comment": "Agreed"}], {"context": action["context"]}
        )
        return wizard_id, action["context"]


@tagged("post_install", "-at_install")
class TestCreditGradeOnePurchaseCycle(OnePurchaseCommon):
    def test_facts_read_on_the_server(self):
        facts = self.env["credit.policy.evaluation"]._credit_purchase_facts(self.company, self.customer, self.today)
        self.assertEqual(facts[self.customer.id], policy.PurchaseFacts(12, 3, 30000.0, 30.0))
        evaluation = self._propose(30000, 30)
        self.assertEqual(evaluation.facts_order_count, 3)
        self.assertEqual(evaluation.facts_average_order, 30000)
        self.assertEqual(evaluation.facts_purchase_cycle_days, 30.0)
        # The limit from facts (the grade's default 200,000 without invoices)
        # is capped at one purchase, the proposed term at one cycle.
        draft = self.env["credit.policy.evaluation"].create(
            {"partner_id": self.customer.id, "kind": "review", "line_ids": self._lines(30, 24, 26)}
        )
        self.assertEqual(draft.computed_limit, 30000)
        self.assertIn("one purchase", draft.computed_limit_rule)
        self.assertEqual((draft.proposed_limit, draft.proposed_term_days), (30000, 30))

    def test_change_credit_refused_beyond_one_purchase_and_one_cycle(self):
        wizard_id, context = self._change_credit(50000, 30)
        self._assert_refused(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            ["above one purchase", f"average order {self._money(30_000)}", "last 12 months", "grade AA"],
            {"context": context},
        )
        wizard_id, context = self._change_credit(30000, 31)
        self._assert_refused(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            ["31 days", "longer than one purchasing cycle", "every 30.0 days"],
            {"context": context},
        )
        self.assertEqual(self._granted(), (0.0, 0))

    def test_change_credit_allowed_within(self):
        self._apply(*self._change_credit(30000, 30))
        self.assertEqual(self._granted(), (30000.0, 30))

    def test_option_off_no_bound(self):
        self.aa.write({"limit_at_most_one_purchase": False, "term_at_most_one_cycle": False})
        self._apply(*self._change_credit(50000, 45))
        self.assertEqual(self._granted(), (50000.0, 45))
        evaluation = self._propose(60000, 45)
        self._call(self.salesperson, evaluation._name, "action_submit", [evaluation.ids])
        self.assertEqual(evaluation.state, "to_approve")

    def test_each_option_alone(self):
        self.aa.term_at_most_one_cycle = False
        self._apply(*self._change_credit(30000, 45))
        self.aa.write({"limit_at_most_one_purchase": False, "term_at_most_one_cycle": True})
        # Above one purchase, within the Credit Manager's step (+20 %).
        self._apply(*self._change_credit(36000, 30))
        self.assertEqual(self._granted(), (36000.0, 30))

    def test_customer_without_orders_has_no_bound(self):
        newcomer = self.env["res.partner"].create({"name": "No Orders Yet", "is_company": True})
        self._establish_customer(newcomer)
        self._apply(*self._change_credit(50000, 45, partner=newcomer))
        self.assertEqual(self._granted(newcomer), (50000.0, 45))
        # One order: a typical purchase, but no cycle yet.
        self._confirmed_order(newcomer, 20000.0, 10)
        wizard_id, context = self._change_credit(50001, 45, partner=newcomer)
        self._assert_refused(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            [f"average order {self._money(20_000)}"], {"context": context},
        )
        self._apply(*self._change_credit(20000, 45, partner=newcomer))

    def test_evaluation_submission_refused_beyond(self):
        evaluation = self._propose(50000, 45)
        self._assert_refused(
            self.salesperson, evaluation._name, "action_submit", [evaluation.ids],
            ["above one purchase", self._money(30_000), "longer than one purchasing cycle"],
        )
        self.assertEqual(evaluation.state, "draft")

    def test_evaluation_approved_within(self):
        evaluation = self._propose(30000, 30)
        self._call(self.salesperson, evaluation._name, "action_submit", [evaluation.ids])
        self._approve_all_but_last(evaluation)
        wizard_id, context = self._validate_by_rpc(self.finance, evaluation)
        self._call(self.finance, "comment.wizard", "add_comment", [[wizard_id]], {"context": context})
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(self._granted(), (30000.0, 30))

    def test_evaluation_approval_refused_beyond(self):
        # Submitted while the grade had no such bound; the company then grants
        # AA at most one purchase: the last approval is refused, on the facts
        # the approvers see (frozen at submission).
        self.aa.write({"limit_at_most_one_purchase": False, "term_at_most_one_cycle": False})
        evaluation = self._propose(50000, 45)
        self._call(self.salesperson, evaluation._name, "action_submit", [evaluation.ids])
        self._approve_all_but_last(evaluation)
        self.aa.write({"limit_at_most_one_purchase": True, "term_at_most_one_cycle": True})
        # An order placed since does not change what the approvers approve.
        self._confirmed_order(self.customer, 90000.0, 1)
        wizard_id, context = self._validate_by_rpc(self.finance, evaluation)
        self._assert_refused(
            self.finance, "comment.wizard", "add_comment", [[wizard_id]],
            ["above one purchase", f"average order {self._money(30_000)}", "every 30.0 days"],
            {"context": context},
        )
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.state, "to_approve")
        self.assertEqual(self._granted(), (0.0, 0))

    def test_other_company_facts_are_separate(self):
        other = self.env["res.company"].create({"name": "One Purchase Other Co", "credit_check_mode": "off"})
        table = self.env["credit.policy.grade.table"].create({"name": "Other Table", "company_id": other.id})
        other_grade = self.env["credit.policy.grade"].create(
            {
                "table_id": table.id,
                "code": "X",
                "name": "Other",
                "max_limit": 500000,
                "max_term_days": 90,
                "limit_at_most_one_purchase": True,
                "term_at_most_one_cycle": True,
            }
        )
        other.credit_grade_table_id = table
        self.credit_manager.company_ids |= other
        for days_ago in (100, 40):
            self._confirmed_order(self.customer, 100000.0, days_ago, company=other)
        Evaluation = self.env["credit.policy.evaluation"]
        self.assertEqual(
            Evaluation._credit_purchase_facts(other, self.customer, self.today)[self.customer.id],
            policy.PurchaseFacts(12, 2, 100000.0, 60.0),
        )
        self.assertEqual(
            Evaluation._credit_purchase_facts(self.company, self.customer, self.today)[self.customer.id],
            policy.PurchaseFacts(12, 3, 30000.0, 30.0),
            "the other company's orders are not this company's",
        )
        wizard_id, context = self._change_credit(100000, 45)
        self._assert_refused(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            [f"average order {self._money(30_000)}"], {"context": context},
        )
        self._apply(*self._change_credit(100000, 60, company=other, grade=other_grade))
        self.assertEqual(self._granted(company=other), (100000.0, 60))
        self.assertEqual(self._granted(), (0.0, 0))
        wizard_id, context = self._change_credit(100000, 61, company=other, grade=other_grade)
        self._assert_refused(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            ["every 60.0 days"], {"context": context},
        )

    def test_change_credit_shows_the_customers_figures(self):
        wizard_id, context = self._change_credit(30000, 30)
        [values] = self._call(
            self.credit_manager, "credit.policy.limit.change.wizard", "read", [[wizard_id], ["purchase_bounds_note"]],
            {"context": context},
        )
        note = values["purchase_bounds_note"].replace("\u00a0", " ")
        self.assertIn(f"average order {self._money(30_000)} over the last 12 months (3 orders)", note)
        self.assertIn("an order every 30.0 days", note)
        self.aa.write({"limit_at_most_one_purchase": False, "term_at_most_one_cycle": False})
        wizard_id, context = self._change_credit(30000, 30)
        [values] = self._call(
            self.credit_manager, "credit.policy.limit.change.wizard", "read", [[wizard_id], ["purchase_bounds_note"]],
            {"context": context},
        )
        self.assertFalse(values["purchase_bounds_note"])

    def test_group_head_is_held_to_its_groups_purchases(self):
        member = self.env["res.partner"].create({"name": "Buying Member", "is_company": True})
        member.credit_group_head_id = self.customer
        # Orders of the member on two other days: 5 orders on 5 days.
        self._confirmed_order(member, 60000.0, 75)
        self._confirmed_order(member, 60000.0, 15)
        facts = self.env["credit.policy.evaluation"]._credit_purchase_facts(self.company, self.customer, self.today)
        self.assertEqual(facts[self.customer.id], policy.PurchaseFacts(12, 5, 42000.0, 18.8))
        wizard_id, context = self._change_credit(42000.01, 18)
        self._assert_refused(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            [f"average order {self._money(42_000)}"], {"context": context},
        )
        wizard_id, context = self._change_credit(42000, 19)
        self._assert_refused(
            self.credit_manager, "credit.policy.limit.change.wizard", "action_apply", [[wizard_id]],
            ["every 18.8 days"], {"context": context},
        )
        self._apply(*self._change_credit(42000, 18))
        self.assertEqual(self._granted(), (42000.0, 18))


@tagged("post_install", "-at_install")
class TestOnePurchaseRules(CreditGradingCommon):
    """The pure rules on their boundaries."""

    def test_average_and_cycle(self):
        self.assertIsNone(policy.average_order_value(0.0, 0))
        self.assertEqual(policy.average_order_value(90000.0, 3), 30000.0)
        day = fields.Date.to_date("2026-01-01")
        self.assertIsNone(policy.purchasing_cycle_days(day, day, 1), "one order day: no cycle")
        self.assertEqual(policy.purchasing_cycle_days(day, day + timedelta(days=61), 3), 30.5)

    def test_bounds_and_violations(self):
        facts = policy.PurchaseFacts(12, 3, 30000.0, 30.5)
        self.assertEqual(policy.one_purchase_bounds(False, False, facts), (None, None))
        self.assertEqual(policy.one_purchase_bounds(True, True, facts), (30000.0, 30.5))
        self.assertEqual(policy.one_purchase_bounds(True, True, policy.PurchaseFacts(12, 0, None, None)), (None, None))
        bounds = (30000.0, 30.5)
        self.assertEqual(policy.one_purchase_violations(bounds, 30000.0, 30), [])
        self.assertEqual(policy.one_purchase_violations(bounds, 30000.004, 30), [], "within rounding")
        self.assertEqual(
            policy.one_purchase_violations(bounds, 30000.01, 31), [("one_purchase", 30000.0), ("one_cycle", 30.5)]
        )
        self.assertEqual(policy.one_purchase_violations((None, None), 10**9, 999), [])
