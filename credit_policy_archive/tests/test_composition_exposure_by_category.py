from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.credit_policy.tests.common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCompositionExposureByCategory(CreditExposureCommon):
    """客户构成分析: the exposure by product category adds up to the credit
    check's exposure of the customer (receivables and confirmed orders)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.pumps = Category.create({"name": "CPA Pumps"})
        cls.valves = Category.create({"name": "CPA Valves"})
        cls.tax = cls.env["account.tax"].create(
            {"name": "CPA 15%", "amount": 15.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.pump = cls.env["product.product"].create(
            {"name": "CPA Pump", "categ_id": cls.pumps.id, "type": "consu", "taxes_id": [Command.set(cls.tax.ids)]}
        )
        cls.valve = cls.env["product.product"].create(
            {"name": "CPA Valve", "categ_id": cls.valves.id, "type": "consu", "taxes_id": [Command.clear()]}
        )
        # delivered quantities set by hand on the order line
        cls.service = cls.env["product.product"].create(
            {
                "name": "CPA Pump Installation",
                "categ_id": cls.pumps.id,
                "type": "service",
                "service_type": "manual",
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )
        cls.officer = new_test_user(
            cls.env,
            "cpa_comp_officer",
            groups="base.group_user,credit_policy.group_credit_policy_officer",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _composition(self, domain):
        return (
            self.env["credit.policy.archive.composition"]
            .with_user(self.officer)
            .with_context(allowed_company_ids=self.company.ids)
        )._read_group(domain, ["categ_id"], ["exposure_amount:sum"])

    def test_exposure_by_category_adds_up_to_the_credit_check(self):
        customer = self.customer
        # invoice: pump 100 + 15% tax = 115, valve 300 untaxed; 415 in all
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"product_id": self.pump.id, "quantity": 1, "price_unit": 100.0,
                                    "tax_ids": [Command.set(self.tax.ids)]}),
                    Command.create({"product_id": self.valve.id, "quantity": 1, "price_unit": 300.0,
                                    "tax_ids": [Command.clear()]}),
                ],
            }
        )
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_total, 415.0)
        self._pay(invoice, 207.5)  # half paid: 57.5 of pumps, 150 of valves left open
        # a payment on account, matched to no invoice
        payment = self.env["account.payment"].create(
            {"partner_id": customer.id, "amount": 40.0, "payment_type": "inbound", "partner_type": "customer"}
        )
        payment.action_post()
        # an order not invoiced: 5 installations at 20, 2 of them done
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=1),
                "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 5,
                                               "price_unit": 20.0, "tax_id": [Command.clear()]})],
            }
        )
        order.action_confirm()
        order.order_line.qty_delivered = 2
        self.env.flush_all()

        by_category = dict(self._composition([("partner_id", "=", customer.id), ("kind", "=", "exposure")]))
        self.assertEqual(set(by_category), {self.pumps, self.valves, self.env["product.category"]})
        self.assertAlmostEqual(by_category[self.pumps], 57.5 + 40.0 + 60.0)  # invoice share, delivered, open
        self.assertAlmostEqual(by_category[self.valves], 150.0)
        self.assertAlmostEqual(by_category[self.env["product.category"]], -40.0)  # the payment on account

        exposure = self._exposure(customer)
        self.assertAlmostEqual(exposure["receivable"], 167.5)
        self.assertAlmostEqual(exposure["delivered_uninvoiced"], 40.0)
        self.assertAlmostEqual(exposure["open_order"], 60.0)
        Composition = self.env["credit.policy.archive.composition"].with_user(self.officer).with_context(
            allowed_company_ids=self.company.ids
        )
        by_component = dict(
            Composition._read_group(
                [("partner_id", "=", customer.id), ("kind", "=", "exposure")],
                ["exposure_component"],
                ["exposure_amount:sum"],
            )
        )
        for component in ("receivable", "delivered_uninvoiced", "open_order"):
            self.assertAlmostEqual(by_component[component], exposure[component], msg=component)
        self.assertAlmostEqual(sum(by_category.values()), sum(by_component.values()))

    def test_order_beyond_the_horizon_is_not_exposure(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=90),
                "order_line": [Command.create({"product_id": self.valve.id, "product_uom_qty": 1,
                                               "price_unit": 500.0, "tax_id": [Command.clear()]})],
            }
        )
        order.action_confirm()
        self.env.flush_all()
        self.assertFalse(self._composition([("partner_id", "=", self.customer.id), ("kind", "=", "exposure")]))
        self.assertEqual(self._exposure(self.customer)["open_order"], 0.0)
        sales = self._composition([("partner_id", "=", self.customer.id), ("kind", "=", "sale")])
        self.assertEqual([categ for categ, _amount in sales], [self.valves])

    def test_order_in_foreign_currency_counts_at_todays_rate(self):
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": self.eur.id})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": pricelist.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=1),
                "order_line": [Command.create({"product_id": self.valve.id, "product_uom_qty": 1,
                                               "price_unit": 500.0, "tax_id": [Command.clear()]})],
            }
        )
        order.action_confirm()
        self.env.flush_all()
        exposure = self._exposure(self.customer)["open_order"]
        self.assertAlmostEqual(exposure, 250.0)  # 1 company currency = 2 EUR
        by_category = dict(self._composition([("partner_id", "=", self.customer.id), ("kind", "=", "exposure")]))
        self.assertAlmostEqual(by_category[self.valves], exposure)
