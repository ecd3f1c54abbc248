from contextlib import closing

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import ConcurrentTransactionMixin


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitsApprovedInSequence(ConcurrentTransactionMixin, TransactionCase):
    """Temporary limits of one customer decided at the same time, in two real
    transactions, are judged one after the other.

    Two temporary limits of 6,000 for the same customer, each within the
    General Manager's threshold of 10,000 alone, are approved at the same
    time in two real transactions. Together they are above it: the second
    approval must wait for the first's lock on the customer's credit account,
    then see the first granted and ask the General Manager too, instead of
    granting 12,000 that no General Manager saw. The data is committed, and
    removed at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.salesperson = env.ref("credit_policy.user_salesperson_demo")
            self.credit_manager = env.ref("credit_policy.user_credit_manager_demo")
            company = self.salesperson.company_id
            self.company_id = company.id
            self.saved_threshold = company.credit_temporary_general_manager_limit
            company.credit_temporary_general_manager_limit = 10000.0
            customer = env["res.partner"].create({"name": "Concurrent Temporary Limit Customer", "is_company": True})
            TempLimit = env["credit.policy.temporary.limit"].with_user(self.salesperson).with_company(company)
            limits = TempLimit.create(
                [
                    {"partner_id": customer.id, "company_id": company.id, "amount": 6000.0, "reason": reason}
                    for reason in ("First deal", "Second deal")
                ]
            )
            limits.action_request_approval()
            for limit in limits:
                self.assertEqual(len(limit.review_ids), 1, "alone, each is the Credit Manager's")
            # Two more requests for the same quotation, not submitted yet.
            product = env["product.product"].create({"name": "Concurrent Limit Service", "type": "service"})
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": 3000.0, "tax_id": False})],
                }
            )
            for_order = TempLimit.create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "order_id": order.id,
                        "amount": 3000.0,
                        "reason": reason,
                    }
                    for reason in ("The order", "The order again")
                ]
            )
            self.customer_id, self.limit_ids = customer.id, limits.ids
            self.order_limit_ids, self.order_id, self.product_id = for_order.ids, order.id, product.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.company_id).credit_temporary_general_manager_limit = self.saved_threshold
            limit_ids = self.limit_ids + self.order_limit_ids
            template_id = env["product.product"].browse(self.product_id).product_tmpl_id.id
            self._delete_mail_of(
                cr,
                [
                    ("credit.policy.temporary.limit", limit_ids),
                    ("sale.order", [self.order_id]),
                    ("res.partner", [self.customer_id]),
                ],
            )
            for query, params in [
                ("DELETE FROM credit_policy_temporary_limit WHERE id = ANY(%s)", [limit_ids]),
                ("DELETE FROM sale_order WHERE id = %s", [self.order_id]),
                ("DELETE FROM product_product WHERE id = %s", [self.product_id]),
                ("DELETE FROM product_template WHERE id = %s", [template_id]),
                ("DELETE FROM credit_policy_status WHERE partner_id = %s", [self.customer_id]),
                ("DELETE FROM res_partner WHERE id = %s", [self.customer_id]),
            ]:
                cr.execute(query, params)
            env.invalidate_all()

    def test_second_approval_waits_then_asks_the_general_manager(self):
        first_id, second_id = self.limit_ids
        credit_manager_id = self.credit_manager.id

        def approve_second(env):
            second = env["credit.policy.temporary.limit"].browse(second_id).with_user(credit_manager_id)
            second.validate_tier()
            return second.sudo().state, len(second.sudo().review_ids)

        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            first = env_first["credit.policy.temporary.limit"].browse(first_id).with_user(credit_manager_id)
            first.validate_tier()
            self.assertEqual(first.sudo().state, "approved", "6,000 alone is the Credit Manager's")
            # Leaving the block commits the first approval and releases the lock.
            thread, outcome = self._start_waiting_transaction(approve_second)
        thread.join()
        self.assertEqual(
            outcome["result"], ("to_approve", 2), "12,000 together: the General Manager approves the second too"
        )
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            limits = env["credit.policy.temporary.limit"].browse(self.limit_ids)
            self.assertEqual(limits.mapped("state"), ["approved", "to_approve"])
            self.assertEqual(limits[1].cumulative_amount, 12000.0)

    def test_second_request_for_the_same_order_waits_then_is_refused(self):
        first_id, second_id = self.order_limit_ids
        salesperson_id = self.salesperson.id

        def submit_second(env):
            second = env["credit.policy.temporary.limit"].browse(second_id).with_user(salesperson_id)
            second.action_request_approval()
            return "submitted"

        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            first = env_first["credit.policy.temporary.limit"].browse(first_id).with_user(salesperson_id)
            first.action_request_approval()
            thread, outcome = self._start_waiting_transaction(submit_second)
        thread.join()
        self.assertIsInstance(outcome["result"], ValidationError, "the order would count twice")
        self.assertIn("already has the temporary limit", str(outcome["result"]))
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            limits = env["credit.policy.temporary.limit"].browse(self.order_limit_ids)
            self.assertEqual(limits.mapped("state"), ["to_approve", "draft"])
