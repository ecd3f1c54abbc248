from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CreditPolicyDeliveryCase, ShipWithoutOrderMixin


@tagged("post_install", "-at_install")
class TestCreditShipmentsWithoutOrder(ShipWithoutOrderMixin, CreditPolicyDeliveryCase):
    """Goods shipped to a customer count in the exposure until invoiced,
    whatever document shipped them (POLICY.md §4: delivered, not invoiced)."""

    def _invoice_naming(self, origin, amount):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_origin": origin,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": amount / 100.0, "price_unit": 100.0,
                         "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        return invoice

    def test_second_shipment_over_the_limit_is_blocked(self):
        self._ship(6)
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 600.0)
        second = self._create_delivery(6)
        self._assert_prompt(self._validate(second))
        self.assertEqual(second.state, "assigned")
        self.assertEqual(second.credit_release_ids.exposure_amount, 1200.0)
        # No other path ships it either.
        second.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "blocked by the credit policy"):
            second._action_done()

    def test_shipments_up_to_the_limit_pass(self):
        self._ship(6)
        self._ship(4)
        self.assertEqual(self.customer.credit_exposure, 1000.0)
        self._assert_prompt(self._validate(self._create_delivery(1)))

    def test_invoice_naming_the_delivery_takes_over(self):
        first = self._ship(6)
        invoice = self._invoice_naming(f"{first.name}, Spare parts", 600.0)
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 600.0, "a draft invoice does not count yet")
        invoice.action_post()
        exposure = self._exposure()
        self.assertEqual((exposure["shipped_uninvoiced"], exposure["receivable"]), (0.0, 600.0))
        self._pay(invoice)
        self._ship(10)  # the limit is free again

    def test_invoice_naming_another_delivery_changes_nothing(self):
        self._ship(6)
        self._invoice_naming("WH/OUT/99999", 100.0).action_post()
        exposure = self._exposure()
        self.assertEqual((exposure["shipped_uninvoiced"], exposure["receivable"]), (600.0, 100.0))

    def test_returned_goods_no_longer_count(self):
        picking = self._ship(6)
        wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking")
        ).save()
        wizard.product_return_moves.quantity = 2
        returned = wizard._create_return()
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 400.0)

    def test_counted_for_the_set_number_of_days(self):
        picking = self._ship(6)
        self.assertEqual(self.company.credit_unordered_shipment_days, 90, "the default")
        picking.move_ids.date = fields.Datetime.now() - timedelta(days=89)
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 600.0)
        picking.move_ids.date = fields.Datetime.now() - timedelta(days=91)
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 0.0)
        picking.move_ids.date = fields.Datetime.now()
        self.company.credit_unordered_shipment_days = 0
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 0.0, "0: never counted")

    def test_sale_order_deliveries_are_not_counted_twice(self):
        picking = self._create_sale_delivery(6)
        self.assertIs(self._validate(picking), True)
        exposure = self._exposure()
        self.assertEqual((exposure["shipped_uninvoiced"], exposure["delivered_uninvoiced"]), (0.0, 600.0))

    def test_documents_behind_the_figure(self):
        picking = self._ship(6)
        model, domain = self.env["credit.policy.check"]._domain_unordered_shipments(self.customer, self.company)
        self.assertEqual(self.env[model].search(domain), picking.move_ids)

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": fields.Date.today()})._create_payments()
