from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy.tests.test_credit_workflow_forgery import RpcMixin

from .common import DunningCommon

EXCLUDED = {"default_dunning_excluded": True, "default_dunning_exclusion_reason": "Customer disputes it"}


@tagged("post_install", "-at_install")
class TestDunningExclusionForgery(RpcMixin, DunningCommon, HttpCase):
    """A salesperson cannot leave his own invoices out of dunning: sale
    creates invoices as superuser, so neither a ``default_*`` context key nor
    a personal default may set the disputed flag then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["product.product"].create(
            {"name": "Consulting Day", "type": "service", "invoice_policy": "order", "list_price": 500.0,
             "taxes_id": [Command.clear()]}
        )

    def _confirmed_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 1,
                                               "tax_id": [Command.clear()]})],
            }
        )
        order.action_confirm()
        return order

    def _invoice_with_the_wizard(self, order, context=None):
        """The salesperson clicks "Create Invoice" on his order, through RPC."""
        context = {"active_model": "sale.order", "active_ids": order.ids, "active_id": order.id, **(context or {})}
        wizard_id = self._call(
            self.salesperson, "sale.advance.payment.inv", "create",
            [{"advance_payment_method": "delivered"}], {"context": context},
        )
        self._call(self.salesperson, "sale.advance.payment.inv", "create_invoices", [[wizard_id]],
                   {"context": context})
        order.invalidate_recordset()
        return order.invoice_ids

    def test_context_keys_do_not_exclude_an_invoice_from_the_wizard(self):
        invoice = self._invoice_with_the_wizard(self._confirmed_order(), EXCLUDED)
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(invoice, [{"dunning_excluded": False, "dunning_exclusion_reason": False}])

    def test_personal_default_does_not_exclude_an_invoice_from_the_wizard(self):
        self._set_personal_default(self.salesperson, "account.move", "dunning_excluded", True)
        self._set_personal_default(self.salesperson, "account.move", "dunning_exclusion_reason", "Disputed")
        invoice = self._invoice_with_the_wizard(self._confirmed_order())
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(invoice, [{"dunning_excluded": False, "dunning_exclusion_reason": False}])

    def test_salesperson_cannot_pass_the_flag_to_a_sudo_creation(self):
        order = self._confirmed_order()
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(self.salesperson, "account.move", "create",
                       [{"move_type": "out_invoice", "partner_id": self.customer.id, "dunning_excluded": True,
                         "dunning_exclusion_reason": "Disputed"}])
        invoice = (
            self.env["account.move"].with_user(self.salesperson).sudo().with_context(**EXCLUDED)
            .create({"move_type": "out_invoice", "partner_id": self.customer.id, "invoice_origin": order.name})
        )
        self.assertFalse(invoice.dunning_excluded, "sudo keeps the real user: no default sets the flag")

    def test_credit_controller_still_excludes_at_creation(self):
        invoice = self.env["account.move"].with_user(self.controller).sudo().create(
            {"move_type": "out_invoice", "partner_id": self.customer.id, "dunning_excluded": True,
             "dunning_exclusion_reason": "Quality claim open"}
        )
        self.assertTrue(invoice.dunning_excluded)
