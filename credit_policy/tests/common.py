from datetime import timedelta

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditExposureCommon(AccountTestInvoicingCommon):
    """A company with a credit policy, a customer, a storable product without tax."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.company.write(
            {
                "credit_check_mode": "off",
                "credit_warn_percent": 80.0,
                "credit_alert_percent": 90.0,
                "credit_exposure_horizon_days": 30,
                "credit_include_draft_invoices": False,
                "credit_repayment_plan_days": 7,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Credit Widget",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "delivery",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls._credit_customer("Credit Customer", 1000.0)
        cls.eur = cls.setup_other_currency("EUR")  # 1 company currency = 2 EUR today

    @classmethod
    def _credit_customer(cls, name, limit=0.0, company=None):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        partner.with_company(company or cls.company).credit_limit = limit
        return partner

    def _order(self, partner, qty, price=100.0, days=1, company=None, pricelist=None, confirm=True):
        company = company or self.company
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "commitment_date": fields.Datetime.now() + timedelta(days=days),
                    "pricelist_id": pricelist.id if pricelist else False,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    def _deliver(self, order, qty):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        return picking

    def _invoice(self, order, post=True):
        invoice = order._create_invoices()
        if post:
            invoice.action_post()
        return invoice

    def _pay(self, invoice, amount):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": fields.Date.today()})
            ._create_payments()
        )

    def _exposure(self, partner, company=None):
        company = company or self.company
        return self.env["credit.policy.check"]._get_partner_exposure(partner, company)[partner.id]

    def _figures(self, partner, company=None):
        company = company or self.company
        check = self.env["credit.policy.check"]
        account = check._get_credit_account(partner)
        return check._get_credit_figures(account, company)[account.id]

    def _run_precommit(self):
        """Run the refresh the event hooks scheduled for the commit."""
        self.env.cr.flush()
