from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditPolicyDeliveryMixin, use_chinese


@tagged("post_install", "-at_install")
class TestCreditQuotationTour(CreditPolicyDeliveryMixin, HttpCase):
    """A salesperson, set up as the demo's (Sales rights only, reading Chinese),
    meets the credit policy on a quotation in the browser and asks for a
    temporary limit from it."""

    def _quotation(self, qty, user):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": user.id,
                "commitment_date": fields.Datetime.now(),
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": 100.0, "tax_id": False}
                    )
                ],
            }
        )

    def test_salesperson_requests_temporary_limit_from_quotation(self):
        salesperson = new_test_user(
            self.env, "cp_tour_sales", groups="base.group_user,sales_team.group_sale_salesman"
        )
        use_chinese(self.env, salesperson)
        self.customer.user_id = salesperson
        # The customer already uses 1,200 of his 1,000 limit.
        self._quotation(12, salesperson).action_confirm()
        self.company.credit_check_mode = "block"
        quotation = self._quotation(3, salesperson)
        self.assertEqual(quotation.with_user(salesperson).credit_status, "over")

        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{quotation.id}",
            "credit_policy_quotation_temporary_limit_tour",
            login=salesperson.login,
        )

        request = self.env["credit.policy.temporary.limit"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            request,
            [
                {
                    "state": "to_approve",
                    "user_id": salesperson.id,
                    "create_uid": salesperson.id,
                    "order_id": quotation.id,
                    # What brings the exposure (1,200 + 300) back to the limit.
                    "amount": 500.0,
                }
            ],
        )
        self.assertTrue(request.review_ids, "the approval chain is asked")
        self.assertEqual(quotation.state, "draft", "still a quotation until the limit is approved")
