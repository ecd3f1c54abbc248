from contextlib import closing

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from .common import ConcurrentTransactionMixin, CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditConfirmationInSequence(CreditExposureCommon):
    """Orders confirmed together are checked one after the other: each counts
    the ones before it (two orders of 800 against a limit of 1,000)."""

    def _quotations(self, partner, *quantities):
        return self.env["sale.order"].union(*(self._order(partner, qty, confirm=False) for qty in quantities))

    def test_block_mode_refuses_the_batch_that_exceeds_together(self):
        self.company.credit_check_mode = "block"
        orders = self._quotations(self.customer, 8, 8)
        action = orders.action_confirm()
        self.assertEqual(action["res_model"], "credit.policy.order.check.wizard")
        self.assertEqual(orders.mapped("state"), ["draft", "draft"])
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.order_id, orders[1], "the second order is the one over the limit")
        self.assertEqual(wizard.exposure, 1600.0)

    def test_warn_mode_warns_on_the_order_that_exceeds(self):
        self.company.credit_check_mode = "warn"
        first, second = self._quotations(self.customer, 8, 8)
        (first | second).action_confirm()
        self.assertEqual((first | second).mapped("state"), ["sale", "sale"])
        self.assertNotIn("credit policy warns", " ".join(first.message_ids.mapped("preview")))
        self.assertIn("credit policy warns", " ".join(second.message_ids.mapped("preview")))

    def test_orders_of_other_customers_do_not_add_up(self):
        self.company.credit_check_mode = "block"
        other = self._credit_customer("Other Customer", 1000.0)
        orders = self._order(self.customer, 8, confirm=False) | self._order(other, 8, confirm=False)
        self.assertIs(orders.action_confirm(), True)
        self.assertEqual(orders.mapped("state"), ["sale", "sale"])

    def test_customer_without_limit_gets_one_order_at_most(self):
        self.company.write({"credit_check_mode": "block", "credit_new_customer_max_order": 1000.0})
        newcomer = self._credit_customer("Newcomer")
        orders = self._quotations(newcomer, 5, 5)
        action = orders.action_confirm()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.order_id, orders[1])
        self.assertIn("no credit limit and still owes", wizard.message)


@tagged("post_install", "-at_install")
class TestCreditConfirmationConcurrency(ConcurrentTransactionMixin, TransactionCase):
    """Two salespeople confirm an order of 800 for the same customer (limit
    1,000) at the same time, in two real transactions: the second waits for
    the first's lock on the credit account, then is refused. The data is
    committed, and removed at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            self.saved_mode = company.credit_check_mode
            company.credit_check_mode = "block"
            customer = env["res.partner"].create(
                {"name": "Concurrent Confirmation Customer", "is_company": True, "credit_limit": 1000.0}
            )
            # A service: confirming creates no delivery to clean up.
            product = env["product.product"].create(
                {"name": "Concurrent Credit Service", "type": "service", "list_price": 800.0}
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 1, "price_unit": 800.0, "tax_id": False}
                            )
                        ],
                    }
                    for _i in range(2)
                ]
            )
            self.customer_id, self.product_id, self.order_ids = customer.id, product.id, orders.ids
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.credit_check_mode = self.saved_mode
            template_id = env["product.product"].browse(self.product_id).product_tmpl_id.id
            for query, params in [
                ("DELETE FROM mail_message WHERE model = 'sale.order' AND res_id = ANY(%s)", [self.order_ids]),
                ("DELETE FROM mail_followers WHERE res_model = 'sale.order' AND res_id = ANY(%s)", [self.order_ids]),
                ("DELETE FROM mail_activity WHERE res_model = 'res.partner' AND res_id = %s", [self.customer_id]),
                ("DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = %s", [self.customer_id]),
                ("DELETE FROM credit_policy_order_check_wizard WHERE order_id = ANY(%s)", [self.order_ids]),
                ("DELETE FROM sale_order WHERE id = ANY(%s)", [self.order_ids]),
                ("DELETE FROM credit_policy_status WHERE partner_id = %s", [self.customer_id]),
                ("DELETE FROM product_product WHERE id = %s", [self.product_id]),
                ("DELETE FROM product_template WHERE id = %s", [template_id]),
                ("DELETE FROM res_partner WHERE id = %s", [self.customer_id]),
            ]:
                cr.execute(query, params)
            env.invalidate_all()

    def test_second_confirmation_waits_then_is_refused(self):
        first_id, second_id = self.order_ids

        def confirm_second(env):
            order = env["sale.order"].browse(second_id)
            order.action_confirm()
            return order.state

        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            self.assertIs(env_first["sale.order"].browse(first_id).action_confirm(), True)
            thread, outcome = self._start_waiting_transaction(confirm_second)
        thread.join()
        self.assertEqual(outcome["result"], "draft", "the second order is refused once the first is committed")
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(env["sale.order"].browse(self.order_ids).mapped("state"), ["sale", "draft"])

    def test_second_confirmation_in_warn_mode_waits_then_is_held(self):
        """In warn mode the second order is confirmed, but recorded as
        confirmed despite a warning (the credit staff's Held Orders), not
        confirmed on the credit the first one already took."""
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {}).company.credit_check_mode = "warn"
        first_id, second_id = self.order_ids

        def confirm_second(env):
            order = env["sale.order"].browse(second_id)
            order.action_confirm()
            return order.state, order.credit_hold_state

        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            first = env_first["sale.order"].browse(first_id)
            self.assertIs(first.action_confirm(), True)
            self.assertFalse(first.credit_hold_state, "800 alone fits the limit of 1,000")
            thread, outcome = self._start_waiting_transaction(confirm_second)
        thread.join()
        self.assertEqual(outcome["result"], ("sale", "warned"))
