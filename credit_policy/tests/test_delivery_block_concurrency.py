from contextlib import closing
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import ConcurrentTransactionMixin


@tagged("post_install", "-at_install")
class TestDeliveryBlockConcurrency(ConcurrentTransactionMixin, TransactionCase):
    """Two deliveries of the same customer validated at the same time, in two
    real transactions: each fits the limit alone, together they do not. The
    second must wait for the first's lock on the customer's credit account,
    then be blocked. The data is committed, and removed at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            self.saved_settings = company.read(["credit_check_mode", "credit_exposure_horizon_days"])[0]
            company.write({"credit_check_mode": "off", "credit_exposure_horizon_days": 30})
            customer = env["res.partner"].create(
                {"name": "Concurrent Credit Customer", "is_company": True, "credit_limit": 1000.0}
            )
            product = env["product.product"].create(
                {"name": "Concurrent Credit Widget", "is_storable": True, "list_price": 100.0}
            )
            env["stock.quant"]._update_available_quantity(product, env.ref("stock.stock_location_stock"), 100.0)
            # Orders due after the horizon: not in the exposure until shipped.
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "commitment_date": fields.Datetime.now() + timedelta(days=90),
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 6, "price_unit": 100.0, "tax_id": False}
                            )
                        ],
                    }
                    for _i in range(2)
                ]
            )
            orders.action_confirm()
            self.customer_id, self.product_id = customer.id, product.id
            self.order_ids = orders.ids
            self.picking_ids = [order.picking_ids.id for order in orders]
            self.group_ids = orders.procurement_group_id.ids
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.write({k: v for k, v in self.saved_settings.items() if k != "id"})
            product = env["product.product"].browse(self.product_id)
            template_id = product.product_tmpl_id.id
            records = {
                "res.partner": [self.customer_id],
                "sale.order": self.order_ids,
                "stock.picking": self.picking_ids,
                "credit.policy.release": env["credit.policy.release"]
                .search([("partner_id", "=", self.customer_id)])
                .ids,
            }
            # Done moves cannot be deleted through the ORM: remove the rows.
            for query, params in [
                ("DELETE FROM stock_valuation_layer WHERE product_id = %s", [self.product_id]),
                ("DELETE FROM stock_move_line WHERE product_id = %s", [self.product_id]),
                ("DELETE FROM stock_move WHERE product_id = %s", [self.product_id]),
                ("DELETE FROM stock_quant WHERE product_id = %s", [self.product_id]),
                ("DELETE FROM credit_policy_release WHERE partner_id = %s", [self.customer_id]),
                ("DELETE FROM stock_picking WHERE id = ANY(%s)", [self.picking_ids]),
                ("DELETE FROM procurement_group WHERE id = ANY(%s)", [self.group_ids]),
                ("DELETE FROM sale_order WHERE id = ANY(%s)", [self.order_ids]),
                ("DELETE FROM credit_policy_status WHERE partner_id = %s", [self.customer_id]),
                ("DELETE FROM product_product WHERE id = %s", [self.product_id]),
                ("DELETE FROM product_template WHERE id = %s", [template_id]),
            ]:
                cr.execute(query, params)
            for model, ids in records.items():
                for table in ("mail_activity", "mail_followers", "mail_message"):
                    cr.execute(f"DELETE FROM {table} WHERE res_model = %s AND res_id = ANY(%s)"
                               if table != "mail_message" else
                               f"DELETE FROM {table} WHERE model = %s AND res_id = ANY(%s)", [model, ids])
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.customer_id])
            env.invalidate_all()

    def test_second_validation_waits_then_is_blocked(self):
        first_id, second_id = self.picking_ids

        def validate_second(env):
            second = env["stock.picking"].browse(second_id)
            second.move_ids.picked = True
            second._action_done()
            return "validated"

        with self.registry.cursor() as cr_first:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            # Alone, each delivery fits the limit (600 of 1,000).
            first = env_first["stock.picking"].browse(first_id)
            self.assertIs(first.button_validate(), True)
            self.assertEqual(first.state, "done")
            # Leaving the block commits the first delivery and releases the lock.
            thread, outcome = self._start_waiting_transaction(validate_second)
        thread.join()
        self.assertIsInstance(outcome["result"], UserError)
        self.assertIn("blocked by the credit policy", str(outcome["result"]))
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            states = env["stock.picking"].browse(self.picking_ids).mapped("state")
            self.assertEqual(states, ["done", "assigned"])
