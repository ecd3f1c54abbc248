from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditPartnerTab(CreditExposureCommon):
    """The customer's Credit tab: exposure by component, each opening its
    documents; the reason of each credit change in the chatter; one credit
    figure (Odoo's own credit warning is not shown)."""

    def test_exposure_by_component_opens_its_documents(self):
        order = self._order(self.customer, 5)  # 500 open order
        self._deliver(self._order(self.customer, 2), 2)  # 200 delivered, not invoiced
        partner = self.customer.with_company(self.company)
        self.assertEqual(partner.credit_exposure_open_order, 500.0)
        self.assertEqual(partner.credit_exposure_delivered_uninvoiced, 200.0)
        self.assertEqual(partner.credit_exposure_receivable, 0.0)
        total = sum(
            partner[f"credit_exposure_{code}"]
            for code in ("receivable", "draft_invoice", "delivered_uninvoiced", "open_order",
                         "down_payment", "shipped_uninvoiced")
        )
        self.assertEqual(total, partner.credit_exposure)
        action = partner.with_context(credit_component="open_order").action_view_credit_component()
        self.assertEqual(action["res_model"], "sale.order")
        self.assertIn(order, self.env["sale.order"].search(action["domain"]))
        action = partner.with_context(credit_component="receivable").action_view_credit_component()
        self.assertEqual(action["res_model"], "account.move.line")
        with self.assertRaises(UserError):
            partner.with_context(credit_component="anything").action_view_credit_component()

    def test_credit_change_and_its_reason_show_in_the_chatter(self):
        self.customer.with_company(self.company).with_context(
            credit_policy_reason="Annual review: larger orders expected"
        ).credit_limit = 1200.0
        message = self.customer.message_ids.filtered(lambda m: "Annual review" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("1,200.00", message.body)
        self.assertIn("1,000.00", message.body)

    def test_odoo_credit_warning_is_not_shown(self):
        self.company.account_use_credit_limit = True
        order = self._order(self.customer, 50, confirm=False)  # far above the limit
        self.assertFalse(order.partner_credit_warning)
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [(0, 0, {"name": "x", "quantity": 1, "price_unit": 5000.0, "tax_ids": []})],
            }
        )
        self.assertFalse(move.partner_credit_warning)

    def test_status_and_history_rows_open_their_record(self):
        user = new_test_user(self.env, "cp_tab_officer", groups="credit_policy.group_credit_policy_controller")
        status_arch = self.env["credit.policy.status"].with_user(user).get_views([(False, "list")])
        self.assertIn('action="action_open_partner"', status_arch["views"]["list"]["arch"])
        action = self.env.ref("credit_policy.credit_policy_limit_history_action")
        self.assertIn("form", action.view_mode)
