from odoo import Command
from odoo.tests import tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestQuotationPaidOnline(CreditExposureCommon):
    """Money paid online for a quotation is counted once: off the quotation
    while its payment is not posted, as credit on account once it is."""

    def _paid_online(self, order, amount, posted):
        provider = self.env["payment.provider"].create(
            {"name": "Online Test", "code": "none", "state": "test", "company_id": self.company.id}
        )
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": amount,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        transaction.state = "done"
        if posted:
            payment = self.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": order.partner_id.id,
                    "amount": amount,
                    "payment_transaction_id": transaction.id,
                }
            )
            payment.action_post()
            transaction.payment_id = payment
        return transaction

    def test_payment_not_posted_yet_comes_off_the_quotation(self):
        quotation = self._order(self.customer, 10, confirm=False)
        self._paid_online(quotation, 400.0, posted=False)
        self.assertEqual(quotation._credit_check_amount(), 600.0)
        self.assertEqual(quotation._credit_evaluate().figures["exposure"], 600.0)

    def test_posted_payment_counts_once_as_credit_on_account(self):
        quotation = self._order(self.customer, 10, confirm=False)
        self._paid_online(quotation, 400.0, posted=True)
        self.assertEqual(self._figures(self.customer)["exposure"], -400.0, "credit on account")
        self.assertEqual(quotation._credit_check_amount(), 1000.0)
        self.assertEqual(quotation._credit_evaluate().figures["exposure"], 600.0, "not 200: counted once")
        received = self.env["credit.policy.check"]._order_received(quotation, self.company)
        self.assertEqual(received, 400.0, "received all the same, for the prepayment rule")
