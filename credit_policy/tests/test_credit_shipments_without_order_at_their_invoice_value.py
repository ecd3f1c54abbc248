from odoo import Command
from odoo.tests import tagged

from .common import CreditPolicyDeliveryCase, ShipWithoutOrderMixin


@tagged("post_install", "-at_install")
class TestCreditShipmentsWithoutOrderAtTheirInvoiceValue(ShipWithoutOrderMixin, CreditPolicyDeliveryCase):
    """POLICY.md §4: goods delivered and not invoiced count at what their
    invoice will claim, as the goods of an order line count at its price
    taxes included. Goods shipped without an order are invoiced at the
    product's sales price with its customer taxes (those the customer's
    fiscal position maps them to): 6 widgets at 100.00 with 13 % VAT
    (增值税) are 678.00 owed once invoiced, not 600.00 until then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.env["account.tax"].create(
            {"name": "VAT 13 %", "amount": 13.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.product.taxes_id = [Command.set(cls.vat.ids)]

    def test_shipment_counts_its_taxes(self):
        picking = self._ship(6)
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 678.0, "600.00 and 78.00 of VAT")
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_origin": picking.name,
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": 6})],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.amount_total, 678.0)
        exposure = self._exposure()
        self.assertEqual(
            (exposure["shipped_uninvoiced"], exposure["receivable"]), (0.0, 678.0),
            "invoicing the goods leaves the exposure as it was",
        )

    def test_delivery_block_values_the_goods_with_their_taxes(self):
        self._ship(6)  # 678.00
        second = self._create_delivery(3)  # 339.00: 1,017.00 in all, above the limit of 1,000.00
        release = self._assert_prompt(self._validate(second)).release_ids
        self.assertRecordValues(release, [{"amount": 339.0, "exposure_amount": 1017.0, "available_amount": -17.0}])

    def test_taxes_as_the_customers_fiscal_position_maps_them(self):
        exempt = self.env["account.tax"].create(
            {"name": "Export 0 %", "amount": 0.0, "type_tax_use": "sale", "company_id": self.company.id}
        )
        export = self.env["account.fiscal.position"].create(
            {
                "name": "Export",
                "company_id": self.company.id,
                "tax_ids": [Command.create({"tax_src_id": self.vat.id, "tax_dest_id": exempt.id})],
            }
        )
        self.customer.with_company(self.company).property_account_position_id = export
        self._ship(6)
        self.assertEqual(self._exposure()["shipped_uninvoiced"], 600.0, "exported: no VAT on the invoice")
