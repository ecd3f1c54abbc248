from contextlib import closing

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import ConcurrentTransactionMixin, complete_key_data


@tagged("post_install", "-at_install")
class TestCreditEvaluationsApprovedInSequence(ConcurrentTransactionMixin, TransactionCase):
    """An evaluation's approval is judged in sequence with what happens to
    the customer and the company at the same time, in two real transactions.

    The company caps the total credit granted (授信总额控制) with 80,000 of
    room left. Two evaluations granting 50,000 to two customers, each within
    the cap alone, get their last approval step at the same time, in two real
    transactions. The second must wait for the first's lock on the company's
    cap, then see the first granted and ask the General Manager, instead of
    granting 100,000 that no General Manager saw. The data is committed, and
    removed at the end."""

    SAVED = (
        "credit_grade_table_id", "credit_total_limit_cap", "credit_total_cap_exposure", "credit_general_manager_limit"
    )

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"credit_policy_reason": "Test fixture"})
            company = env.ref("base.main_company")
            env = env(context=dict(env.context, allowed_company_ids=[company.id]))
            self.company_id = company.id
            self.saved = {name: company[name] for name in self.SAVED}
            self.saved["credit_grade_table_id"] = company.credit_grade_table_id.id
            company.write(
                {
                    "credit_grade_table_id": env.ref("credit_policy.credit_policy_grade_table_five").id,
                    "credit_total_cap_exposure": False,
                    "credit_general_manager_limit": 200000.0,
                }
            )
            self.users = {
                role: env.ref(f"credit_policy.user_{role}_demo").id
                for role in ("salesperson", "regional_manager", "sales_manager", "finance")
            }
            salesperson = env["res.users"].browse(self.users["salesperson"])
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Concurrent Evaluation Customer {i}",
                        "is_company": True,
                        "user_id": salesperson.id,
                        **complete_key_data(env),
                    }
                    for i in (1, 2)
                ]
            )
            # An earlier approved evaluation each: the customers are not new.
            established = env["credit.policy.evaluation"].sudo().create(
                [
                    {"partner_id": customer.id, "kind": "review", "state": "approved", "line_ids": []}
                    for customer in customers
                ]
            )
            company.credit_total_limit_cap = company._credit_total_granted_limits() + 80000.0
            evaluations = (
                env["credit.policy.evaluation"]
                .with_user(salesperson)
                .create(
                    [
                        {"partner_id": customer.id, "kind": "review", "line_ids": self._lines(env)}
                        for customer in customers
                    ]
                )
            )
            evaluations.write({"proposed_limit": 50000.0})
            evaluations.action_submit()
            for evaluation in evaluations:
                self.assertFalse(evaluation.needs_general_manager, "50,000 alone fits the cap")
                for role in ("regional_manager", "sales_manager"):
                    self._validate_as(env, evaluation.id, self.users[role])
                self.assertEqual(evaluation.state, "to_approve", "finance's step is left")
            self.customer_ids = customers.ids
            self.evaluation_ids = (established | evaluations).ids
            self.decided_ids = evaluations.ids
        self.addCleanup(self._remove_committed_data)

    @staticmethod
    def _lines(env):
        """Scoring lines of grade AA on the five-level table (30 + 24 + 26)."""
        criteria = {
            code: env.ref(f"credit_policy.credit_policy_criterion_{code.lower()}")
            for code in ("REPAY", "PURCHASE", "FINANCE", "BUSINESS", "YEARS", "CAPITAL", "STAFF", "PRODUCT")
        }
        lines = [
            Command.create({"criterion_id": criteria["REPAY"].id, "points": 30}),
            Command.create({"criterion_id": criteria["PURCHASE"].id, "points": 24}),
        ]
        others = 26
        for code in ("FINANCE", "BUSINESS", "YEARS", "CAPITAL", "STAFF", "PRODUCT"):
            points = min(others, criteria[code].max_points)
            others -= points
            lines.append(Command.create({"criterion_id": criteria[code].id, "points": points}))
        return lines

    @staticmethod
    def _validate_as(env, evaluation_id, user_id):
        """One reviewer's step: validate, answering the opinion wizard."""
        evaluation = env["credit.policy.evaluation"].browse(evaluation_id).with_user(user_id)
        action = evaluation.validate_tier()
        if action:
            wizard = env["comment.wizard"].with_user(user_id).with_context(action["context"])
            wizard.create({"comment": "Agreed"}).add_comment()
        evaluation.invalidate_recordset()
        return evaluation.sudo()

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.company_id).write(self.saved)
            cr.execute("SELECT id FROM credit_policy_red_flag WHERE partner_id = ANY(%s)", [self.customer_ids])
            flag_ids = [row[0] for row in cr.fetchall()]
            cr.execute(
                "SELECT id FROM credit_policy_evaluation WHERE partner_id = ANY(%s)", [self.customer_ids]
            )
            self.evaluation_ids = [row[0] for row in cr.fetchall()]
            cr.execute("DELETE FROM credit_policy_red_flag WHERE id = ANY(%s)", [flag_ids])
            self._delete_mail_of(
                cr,
                [
                    ("credit.policy.red.flag", flag_ids),
                    ("credit.policy.evaluation", self.evaluation_ids),
                    ("res.partner", self.customer_ids),
                ],
            )
            for query, params in [
                ("DELETE FROM credit_policy_limit_history WHERE partner_id = ANY(%s)", [self.customer_ids]),
                ("DELETE FROM credit_policy_evaluation WHERE id = ANY(%s)", [self.evaluation_ids]),
                ("DELETE FROM credit_policy_status WHERE partner_id = ANY(%s)", [self.customer_ids]),
                ("DELETE FROM res_partner WHERE id = ANY(%s)", [self.customer_ids]),
            ]:
                cr.execute(query, params)
            env.invalidate_all()

    def test_second_approval_waits_then_asks_the_general_manager(self):
        first_id, second_id = self.decided_ids
        finance_id = self.users["finance"]
        gm_tier_id = self.env.ref("credit_policy.tier_definition_evaluation_general_manager").id

        def approve_second(env):
            second = self._validate_as(env, second_id, finance_id)
            return second.state, gm_tier_id in second.review_ids.definition_id.ids

        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            first = self._validate_as(env_first, first_id, finance_id)
            self.assertEqual(first.state, "approved", "50,000 alone fits the cap")
            # Leaving the block commits the first approval and releases the lock.
            thread, outcome = self._start_waiting_transaction(approve_second)
        thread.join()
        self.assertEqual(outcome["result"], ("to_approve", True), "together beyond the cap: the General Manager")
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customers = env["res.partner"].browse(self.customer_ids).with_company(self.company_id)
            self.assertEqual(customers.mapped("credit_limit"), [50000.0, 0.0])

    def test_red_flag_raised_meanwhile_stops_the_approval(self):
        """A controller records a red flag while finance gives the last
        approval: the flag joins the open evaluation, so the approval must
        wait for the flag's lock on the credit account and be refused, not
        grant the limit as if the flag did not exist (the customer's hold
        until the evaluation is decided would lift at once)."""
        evaluation_id, customer_id = self.decided_ids[0], self.customer_ids[0]
        finance_id = self.users["finance"]
        controller_id = self.env.ref("credit_policy.user_credit_controller_demo").id

        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            flag = (
                env_first["credit.policy.red.flag"]
                .with_user(controller_id)
                .create(
                    {
                        "partner_id": customer_id,
                        "type_id": env_first.ref("credit_policy.credit_policy_red_flag_type_bounced_cheque").id,
                        "evidence": "Cheque no. 4711 returned by the bank",
                    }
                )
            )
            self.assertEqual(flag.sudo().evaluation_id.id, evaluation_id, "the flag joins the open evaluation")
            thread, outcome = self._start_waiting_transaction(
                lambda env: self._validate_as(env, evaluation_id, finance_id).state
            )
        thread.join()
        self.assertIsInstance(outcome["result"], UserError)
        self.assertIn("A red flag was raised", str(outcome["result"]))
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(env["credit.policy.evaluation"].browse(evaluation_id).state, "to_approve")
            customer = env["res.partner"].browse(customer_id).with_company(self.company_id)
            self.assertEqual(customer.credit_limit, 0.0)

    def test_two_red_flags_at_once_open_one_re_evaluation(self):
        """Two controllers record a red flag on a customer without an open
        evaluation at the same time: the second waits for the first's lock on
        the credit account and joins the re-evaluation the first opened,
        instead of opening a second one."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].create(
                {"name": "Concurrent Red Flag Customer", "is_company": True, **complete_key_data(env)}
            )
            self.customer_ids.append(customer.id)
        controller_id = self.env.ref("credit_policy.user_credit_controller_demo").id

        def raise_flag(env):
            flag = (
                env["credit.policy.red.flag"]
                .with_user(controller_id)
                .create(
                    {
                        "partner_id": customer.id,
                        "type_id": env.ref("credit_policy.credit_policy_red_flag_type_bounced_cheque").id,
                        "evidence": "Cheque no. 4711 returned by the bank",
                    }
                )
            )
            return flag.sudo().evaluation_id.id

        with self.registry.cursor() as cr_first:
            first_evaluation_id = raise_flag(api.Environment(cr_first, SUPERUSER_ID, {}))
            thread, outcome = self._start_waiting_transaction(raise_flag)
        thread.join()
        self.assertEqual(outcome["result"], first_evaluation_id, "the second flag joins the first's re-evaluation")
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            evaluations = env["credit.policy.evaluation"].search([("partner_id", "=", customer.id)])
            self.assertEqual(len(evaluations), 1)
