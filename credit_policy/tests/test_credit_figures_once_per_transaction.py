from contextlib import contextmanager
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.credit_policy import policy

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditFiguresOncePerTransaction(CreditExposureCommon):
    """The credit figures of an account are computed once per transaction and
    reused (prompt, guard, blocked list, status snapshot) while the data they
    read is unchanged; any change, or a rollback, computes them again. Their
    cost does not grow with the number of open items."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = cls.env["credit.policy.check"]
        cls.today = fields.Date.today()
        cls.company.write({"credit_max_overdue_percent": 50.0, "credit_overdue_tolerance_amount": 0.0})

    def _queries(self, func):
        before = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - before

    def test_reused_while_unchanged(self):
        self._overdue_invoice(100.0, 10)
        first = self._figures(self.customer)
        self.assertEqual(first["receivable"], 100.0)
        queries = self._queries(lambda: self._figures(self.customer))
        self.assertLessEqual(queries, 1, "only the check that nothing changed")
        again = self._figures(self.customer)
        self.assertEqual(again, first)
        again["components"]["receivable"] = 1e9  # a caller's copy, not the memo
        self.assertEqual(self._figures(self.customer)["receivable"], 100.0)

    def test_any_change_computes_again(self):
        invoice = self._overdue_invoice(100.0, 10)
        self.assertEqual(self._figures(self.customer)["receivable"], 100.0)
        self._overdue_invoice(50.0, 5)
        self.assertEqual(self._figures(self.customer)["receivable"], 150.0, "an invoice posted since")
        self._pay(invoice, 100.0)
        figures = self._figures(self.customer)
        self.assertEqual((figures["receivable"], figures["overdue_amount"]), (50.0, 50.0), "a payment since")
        self.customer.credit_limit = 1200.0
        self.assertEqual(self._figures(self.customer)["limit"], 1200.0, "a limit changed since")
        self._order(self.customer, 3)
        self.assertEqual(self._figures(self.customer)["exposure"], 350.0, "an order confirmed since")

    def test_rollback_to_savepoint_forgets_what_was_computed_inside(self):
        self.assertEqual(self._figures(self.customer)["receivable"], 0.0)
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self._overdue_invoice(100.0, 10)
            self.assertEqual(self._figures(self.customer)["receivable"], 100.0)
            1 / 0  # noqa: B018
        self.assertEqual(self._figures(self.customer)["receivable"], 0.0)

    def test_net_overdue_in_sql_agrees_with_the_policy_rule(self):
        self.company.credit_overdue_tolerance_amount = 15.0
        amounts = [(120.0, 40), (10.0, 35), (75.5, 20), (300.0, 3), (0.5, 60), (42.0, 0)]
        for amount, days in amounts:
            self._overdue_invoice(amount, days)
        for credit in (0.0, 100.0, 130.0, 130.004, 205.5, 600.0):
            with self.env.cr.savepoint() as savepoint:
                if credit:
                    self.init_invoice(
                        "out_refund", partner=self.customer, invoice_date=self.today,
                        amounts=[credit], taxes=self.env["account.tax"], post=True,
                    )
                items = sorted(
                    (self.today - timedelta(days=days), amount) for amount, days in amounts if days > 0
                )
                expected_amount, expected_days = policy.net_overdue(
                    items, round(credit, 2), self.today, tolerance=15.0, rounding=self.currency.rounding
                )
                figures = self._figures(self.customer)
                self.assertEqual(
                    (figures["overdue_amount"], figures["oldest_overdue_days"]),
                    (self.currency.round(expected_amount), expected_days),
                    f"credit on account {credit}",
                )
                savepoint.rollback()

    def test_queries_do_not_grow_with_open_items(self):
        head = self.customer
        member = self._member("Member", 500.0)
        self._overdue_invoice(10.0, 10)
        self._overdue_invoice(10.0, 10, partner=member)

        def evaluate():
            self.check._evaluate(member, amount=10.0)

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            return self._queries(evaluate)

        queries()  # warm the registry's caches (record rules …)
        few = queries()
        for days in range(1, 16):
            self._overdue_invoice(10.0 + days, days)
            self._overdue_invoice(5.0 + days, days, partner=member)
        self.assertEqual(queries(), few)
        self.assertEqual(self._figures(head)["receivable"], 20.0 + sum(15.0 + 2 * d for d in range(1, 16)))

    def test_seldom_used_components_are_queried_only_for_customers_having_them(self):
        """Draft invoices, down payments and shipments without order: one cheap
        query finds who has any, their own queries run only for them."""
        self.company.credit_include_draft_invoices = True
        self._overdue_invoice(100.0, 10)

        def cold_figures():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            figures = self._figures(self.customer)
            return figures, self.env.cr.sql_log_count - before

        cold_figures()  # warm the registry's caches
        figures, without_draft = cold_figures()
        self.assertEqual(figures["components"]["draft_invoice"], 0.0)
        self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date=self.today, amounts=[40.0],
            taxes=self.env["account.tax"],
        )
        figures, with_draft = cold_figures()
        self.assertEqual(figures["components"]["draft_invoice"], 40.0, "the draft invoice still counts")
        self.assertEqual(with_draft, without_draft + 1, "its component's query runs once there is one")

    def test_open_items_pass_kept_while_no_journal_item_changes(self):
        """An order confirmed (or a delivery) changes the order components,
        not the open items: the figures computed again reuse the open items
        pass, which a posted invoice or a payment computes again."""
        invoice = self._overdue_invoice(100.0, 10)
        self._figures(self.customer)

        def open_items_passes(operation):
            """How many open items passes ``operation`` ran."""
            queries = []
            with contextmanager(self._patchExecute)(queries):  # Odoo's recorder of the queries run
                operation()
            return sum("ARRAY_AGG((aml.date_maturity" in str(query) for query in queries)

        def confirm_order_and_read_figures():
            self._order(self.customer, 3)
            figures = self._figures(self.customer)
            self.assertEqual(figures["components"]["open_order"], 300.0, "the order counts")
            self.assertEqual((figures["receivable"], figures["overdue_amount"]), (100.0, 100.0))

        def pay_and_read_figures():
            self._pay(invoice, 60.0)
            figures = self._figures(self.customer)
            self.assertEqual((figures["receivable"], figures["overdue_amount"]), (40.0, 40.0))

        self.assertEqual(open_items_passes(confirm_order_and_read_figures), 0, "the pass was reused")
        self.assertGreaterEqual(open_items_passes(pay_and_read_figures), 1, "a payment: computed again")

    def test_an_evaluation_is_reused_until_what_it_reads_changes(self):
        """The prompt and the hard guard of one validation evaluate the same
        document: the second evaluation costs one query while nothing the
        rules read changed, and sees any change (here a crisis level)."""
        self._overdue_invoice(100.0, 10)

        def evaluate():
            return self.check._evaluate(self.customer, amount=10.0)

        first = evaluate()
        self.assertEqual(self._queries(evaluate), 1, "only the check that nothing changed")
        again = evaluate()
        self.assertEqual((again.figures, again.failure_codes), (first.figures, first.failure_codes))
        again.figures["exposure"] = 1e9  # a caller's copy, not the memo
        self.assertEqual(evaluate().figures["exposure"], 110.0)
        self.env["credit.policy.crisis.level"].sudo()._credit_set_litigation(self.customer, self.company, True)
        self.assertIn(policy.CRISIS_ORDERS_CODE, evaluate().failure_codes, "a crisis level recorded since")

    def _queries_run(self, operation):
        """The queries ``operation`` ran, as text (Odoo's recorder)."""
        queries = []
        with contextmanager(self._patchExecute)(queries):
            operation()
        return [str(query) for query in queries]

    def test_group_and_temporary_limits_kept_while_their_tables_are_unchanged(self):
        """An order confirmed since computes the order components again, not
        the credit group nor the temporary limits; a member joining the group
        since is counted at once."""
        member = self.env["res.partner"].create({"name": "Group member", "is_company": True, "credit_limit": 1000.0})
        self._order(member, 2)
        self.assertEqual(self._figures(self.customer)["components"]["open_order"], 0.0)

        def confirm_order_and_read_figures():
            self._order(self.customer, 3)
            self.assertEqual(self._figures(self.customer)["components"]["open_order"], 300.0)

        queries = self._queries_run(confirm_order_and_read_figures)
        self.assertFalse([q for q in queries if '"credit_group_head_id" IN' in q], "the group was kept")
        self.assertFalse([q for q in queries if "FROM credit_policy_temporary_limit" in q], "the limits were kept")
        member.credit_group_head_id = self.customer
        self.assertEqual(self._figures(self.customer)["components"]["open_order"], 500.0, "the member counts")

    def test_deliveries_read_together_are_loaded_together(self):
        """The checks of deliveries read together (the blocked list, the ready
        deliveries cron) load their order lines and orders once for all, in
        narrow queries."""
        orders = [self._order(self.customer, qty) for qty in (1, 2, 3)]
        pickings = self.env["stock.picking"].browse([order.picking_ids.id for order in orders])
        for picking, qty in zip(pickings, (1, 2, 3)):
            picking.move_ids.quantity = qty
        self.env.flush_all()
        self.env.invalidate_all()

        def evaluate_each():
            for picking, qty in zip(pickings, (1, 2, 3)):
                value, _uncounted, _result = picking._credit_policy_evaluate()
                self.assertEqual(value, qty * 100.0)

        queries = self._queries_run(evaluate_each)
        for table in ("sale_order", "sale_order_line"):
            loads = [q for q in queries if q.startswith(f'SELECT "{table}"."id", ')]
            self.assertEqual(len(loads), 1, f"{table}: one load for the three deliveries")
            # the dozen columns the check reads, not the scores of a full read
            self.assertLess(loads[0].count(f'"{table}".'), 16, f"{table}: only the columns the check reads")

    def test_facts_of_one_check_read_in_one_statement(self):
        """The facts a check needs besides the figures (the document's
        temporary limits, the crisis level, pending red flags; the dunning
        addon adds its letters) cost one statement together, and each still
        counts."""
        self.company.credit_red_flag_hold = True
        order = self._order(self.customer, 1, confirm=False)
        self.env["credit.policy.temporary.limit"].sudo().create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "order_id": order.id,
                "amount": 400.0,
                "reason": "This order only",
                "state": "approved",
            }
        )
        self.env["credit.policy.crisis.level"].sudo()._credit_set_litigation(self.customer, self.company, True)
        results = []
        queries = self._queries_run(
            lambda: results.append(self.check._evaluate(self.customer, company=self.company, order=order))
        )
        facts = [q for q in queries if 'FROM "credit_policy_crisis_level"' in q]
        self.assertEqual(len(facts), 1, "one statement reads the facts")
        for fact in ("tl.order_id IN", 'FROM "credit_policy_red_flag"'):
            self.assertEqual([q for q in queries if fact in q], facts, f"{fact}: in the facts statement only")
        figures = results[0].figures
        self.assertEqual(figures["temporary_limit"], 400.0, "the order's own temporary limit counts")
        self.assertEqual(figures["crisis_level"], 3, "litigation")
        self.assertFalse(figures["red_flag_pending"])
        self.assertNotIn("red_flag_pending", results[0].failure_codes)

    def test_hard_guard_reuses_the_prompts_delivery_evaluation(self):
        """The prompt and the hard guard of one validation evaluate the same
        moves: the second costs one query (the check that nothing changed),
        and a change of quantity since is valued again."""
        order = self._order(self.customer, 3)
        picking = order.picking_ids
        picking.move_ids.quantity = 2

        def evaluate():
            return picking._credit_policy_evaluate()

        value, uncounted, first = evaluate()
        self.assertEqual((value, uncounted), (200.0, 0.0), "the confirmed order counts the goods already")
        self.assertEqual(self._queries(evaluate), 1, "only the check that nothing changed")
        again = evaluate()
        self.assertEqual((again[0], again[2].figures), (value, first.figures))
        again[2].figures["exposure"] = 1e9  # a caller's copy, not the memo
        self.assertEqual(evaluate()[2].figures["exposure"], first.figures["exposure"])
        picking.move_ids.quantity = 1
        self.assertEqual(evaluate()[0], 100.0, "a quantity changed since")
