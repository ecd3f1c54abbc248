from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditExposureCommon):
    """Exposure (POLICY.md §4): each amount counted once, in company currency."""

    def test_order_value_moves_through_components_once(self):
        order = self._order(self.customer, 5)
        self.assertEqual(self._exposure(self.customer)["open_order"], 500.0)
        self._deliver(order, 3)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["delivered_uninvoiced"], 300.0)
        self.assertEqual(exposure["open_order"], 200.0, "the backorder is still open")
        invoice = self._invoice(order, post=False)
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["delivered_uninvoiced"], 0.0)
        self.assertEqual(exposure["draft_invoice"], 300.0, "an order's draft invoice always counts")
        invoice.action_post()
        exposure = self._exposure(self.customer)
        self.assertEqual((exposure["receivable"], exposure["draft_invoice"]), (300.0, 0.0))
        self.assertEqual(sum(exposure.values()), 500.0, "never counted twice")
        self._pay(invoice, 100.0)
        self.assertEqual(self._exposure(self.customer)["receivable"], 200.0, "partial payment")
        self.assertEqual(self._figures(self.customer)["exposure"], 400.0)

    def test_scenario_with_horizon(self):
        order_a = self._order(self.customer, 5)
        self._deliver(order_a, 3)
        self._pay(self._invoice(order_a), 100.0)
        order_b = self._order(self.customer, 4)
        self._deliver(order_b, 4)
        self._order(self.customer, 2, days=60)  # beyond the 30-day horizon
        exposure = self._exposure(self.customer)
        self.assertEqual(exposure["receivable"], 200.0)
        self.assertEqual(exposure["delivered_uninvoiced"], 400.0)
        self.assertEqual(exposure["open_order"], 200.0)
        self.company.credit_exposure_horizon_days = 0
        self.assertEqual(self._exposure(self.customer)["open_order"], 400.0, "0 counts every order")
        figures = self._figures(self.customer)
        self.assertEqual(figures["exposure"], 1000.0)
        self.assertEqual(figures["available"], 0.0)
        self.assertEqual(figures["band"], "alert")

    def test_quotations_and_cancelled_orders_do_not_count(self):
        self._order(self.customer, 5, confirm=False)
        order = self._order(self.customer, 2)
        order._action_cancel()
        self.assertEqual(self._figures(self.customer)["exposure"], 0.0)

    def test_draft_invoice_setting(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date=fields.Date.today(),
            amounts=[50.0], taxes=self.env["account.tax"],
        )
        self.assertEqual(self._exposure(self.customer)["draft_invoice"], 0.0)
        self.company.credit_include_draft_invoices = True
        self.assertEqual(self._exposure(self.customer)["draft_invoice"], 50.0)
        invoice.action_post()
        exposure = self._exposure(self.customer)
        self.assertEqual((exposure["draft_invoice"], exposure["receivable"]), (0.0, 50.0))

    def test_foreign_currency_converted(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": self.eur.id, "company_id": self.company.id}
        )
        order = self._order(self.customer, 2, price=100.0, pricelist=pricelist)
        self.assertEqual(order.currency_id, self.eur)
        self.assertEqual(self._exposure(self.customer)["open_order"], 100.0, "200 EUR at 2 EUR per unit")
        self._deliver(order, 2)
        invoice = self._invoice(order)
        self.assertEqual(invoice.currency_id, self.eur)
        exposure = self._exposure(self.customer)
        self.assertEqual((exposure["receivable"], exposure["open_order"]), (100.0, 0.0))

    def test_second_company_has_its_own_exposure_and_limit(self):
        company_2 = self.setup_other_company()["company"]
        self.env.user.company_ids |= company_2
        self.customer.with_company(company_2).credit_limit = 5000.0
        self.product.with_company(company_2).taxes_id = [Command.clear()]
        self._order(self.customer, 3, company=company_2)
        self._order(self.customer, 1)
        self.assertEqual(self._figures(self.customer, company_2)["exposure"], 300.0)
        self.assertEqual(self._figures(self.customer, company_2)["limit"], 5000.0)
        self.assertEqual(self._figures(self.customer)["exposure"], 100.0)
        self.assertEqual(self._figures(self.customer)["limit"], 1000.0)
        partner = self.customer.with_company(company_2)
        self.assertEqual(partner.credit_exposure, 300.0)
        self.assertEqual(self.customer.with_company(self.company).credit_exposure, 100.0)

    def test_overdue_facts_ignore_small_amounts(self):
        today = fields.Date.today()
        for amount, days in ((300.0, 40), (5.0, 90)):
            invoice = self.init_invoice(
                "out_invoice", partner=self.customer, invoice_date=today - timedelta(days=days),
                amounts=[amount], taxes=self.env["account.tax"],
            )
            invoice.invoice_date_due = today - timedelta(days=days)
            invoice.action_post()
        self.company.credit_overdue_tolerance_amount = 10.0
        figures = self._figures(self.customer)
        self.assertEqual(figures["overdue_amount"], 305.0)
        self.assertEqual(figures["oldest_overdue_days"], 40, "the 5.00 item is ignored for its age")

    def test_partner_figures_and_drill_down(self):
        order = self._order(self.customer, 5)
        self._deliver(order, 5)
        self._invoice(order)
        self._order(self.customer, 4)
        self.customer.invalidate_recordset()
        self.assertRecordValues(
            self.customer,
            [{"credit_exposure": 900.0, "credit_available": 100.0, "credit_usage_percent": 90.0,
              "credit_status": "alert", "credit_effective_limit": 1000.0}],
        )
        action = self.customer.action_view_credit_receivables()
        lines = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(sum(lines.mapped("amount_residual")), 500.0)
        action = self.customer.action_view_credit_orders()
        self.assertEqual(len(self.env[action["res_model"]].search(action["domain"])), 1)
