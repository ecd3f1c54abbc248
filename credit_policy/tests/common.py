from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

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


class CreditPolicyDeliveryMixin:
    """A customer with a credit limit of 1,000, a storable product sold at 100
    with plenty of stock, and one user per role of the delivery block."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "credit_check_mode": "off",
                "credit_exposure_horizon_days": 30,
                "credit_include_draft_invoices": False,
                "credit_max_overdue_percent": 0.0,
                "credit_max_overdue_days": 0,
                "credit_new_customer_max_order": 0.0,
                "credit_release_manager_amount": 0.0,
                "credit_release_tolerance_percent": 5.0,
                "credit_release_validity_days": 7,
            }
        )
        cls.warehouse_user = new_test_user(cls.env, "cp_dlv_stock", groups="stock.group_stock_user")
        cls.salesman = new_test_user(
            cls.env, "cp_dlv_sales", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )
        cls.controller = new_test_user(
            cls.env, "cp_dlv_controller", groups="credit_policy.group_credit_policy_controller"
        )
        cls.manager = new_test_user(cls.env, "cp_dlv_manager", groups="credit_policy.group_credit_policy_manager")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Delivery Block Customer Ltd", "is_company": True, "credit_limit": 1000.0}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Warehouse Contact", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Credit Block Widget", "is_storable": True, "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.stock_location = cls.env.ref("stock.stock_location_stock")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock_location, 1000.0)
        cls.picking_type_out = cls.env.ref("stock.picking_type_out")
        cls.picking_type_in = cls.env.ref("stock.picking_type_in")

    @classmethod
    def _create_delivery(cls, qty, partner=None, picking_type=None, source=None, destination=None):
        """A ready delivery of ``qty`` widgets, without a sale order."""
        picking_type = picking_type or cls.picking_type_out
        source = source or cls.stock_location
        destination = destination or cls.customer_location
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": (partner or cls.contact).id,
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    @classmethod
    def _create_sale_delivery(cls, qty, price=100.0, due_in_days=0):
        """Confirm a sale order of ``qty`` widgets due in ``due_in_days`` and
        return its delivery."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=due_in_days),
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": qty, "price_unit": price, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        return order.picking_ids

    def _validate(self, picking, user=None):
        return picking.with_user(user or self.warehouse_user).button_validate()

    def _assert_prompt(self, action):
        self.assertIsInstance(action, dict, "validation returns the credit block prompt")
        self.assertEqual(action.get("res_model"), "credit.policy.delivery.block.wizard")
        return self.env["credit.policy.delivery.block.wizard"].browse(action["res_id"])

    def _release(self, picking, user=None, reason="Customer paid in advance by wire transfer."):
        """Release the open request of ``picking`` through the release wizard."""
        release = picking.credit_release_ids.filtered(lambda r: r.state in ("blocked", "requested"))
        user = user or self.controller
        action = release.with_user(user).action_open_release_wizard()
        wizard = (
            self.env["credit.policy.release.wizard"]
            .with_user(user)
            .with_context(action["context"])
            .create({"reason": reason})
        )
        wizard.action_confirm()
        return release


class CreditPolicyDeliveryCase(CreditPolicyDeliveryMixin, TransactionCase):
    pass
