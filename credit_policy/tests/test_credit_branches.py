from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditExposureCommon, create_branch


@tagged("post_install", "-at_install")
class TestCreditBranches(CreditExposureCommon):
    """A branch counts in its parent company's credit control area (POLICY.md
    §4, multi-company), as core's partner credit does: its documents add to
    the root's exposure, the root's limit and settings apply."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = create_branch(cls.env, cls.company, "Credit Branch")
        # The branch's own settings are not the ones that apply.
        cls.branch.write({"credit_check_mode": "off", "credit_exposure_horizon_days": 0})
        cls.company.credit_check_mode = "block"
        cls.check = cls.env["credit.policy.check"]
        cls.branch_stock = cls.env["stock.warehouse"].search([("company_id", "=", cls.branch.id)]).lot_stock_id

    def test_branch_order_counts_in_the_root_exposure(self):
        self._order(self.customer, 6, company=self.branch)
        self.assertEqual(self._figures(self.customer)["exposure"], 600.0)
        self.assertEqual(self._figures(self.customer, self.branch)["exposure"], 600.0, "the same area")
        quotation = self._order(self.customer, 5, confirm=False)
        self.assertEqual(quotation._credit_evaluate().failure_codes, ["over_limit"])
        quotation.action_confirm()
        self.assertEqual(quotation.state, "draft", "blocked: 600 + 500 over the root's 1,000")
        self.assertEqual(self._order(self.customer, 4).state, "sale", "600 + 400 is the limit")

    def test_branch_quotation_checked_with_root_limit_and_mode(self):
        self.assertEqual(self.customer.with_company(self.branch).credit_limit, 0.0, "no limit of its own")
        quotation = self._order(self.customer, 11, company=self.branch, confirm=False)
        result = quotation._credit_evaluate()
        self.assertEqual(result.failure_codes, ["over_limit"])
        self.assertEqual(result.figures["effective_limit"], 1000.0)
        quotation.action_confirm()
        self.assertEqual(quotation.state, "draft", "the root's block mode applies")
        self.assertEqual(self._order(self.customer, 10, company=self.branch).state, "sale")

    def test_branch_invoice_is_a_root_receivable_and_overdue(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, invoice_date="2020-01-01",
            amounts=[700.0], taxes=self.env["account.tax"], company=self.branch,
        )
        invoice.invoice_date_due = "2020-01-01"
        invoice.action_post()
        self.assertEqual(invoice.company_id, self.branch)
        figures = self._figures(self.customer)
        self.assertEqual((figures["receivable"], figures["overdue_amount"]), (700.0, 700.0))
        self.company.write({"credit_max_overdue_days": 30, "credit_max_overdue_percent": 0.0})
        self.assertEqual(self.check._evaluate(self.customer, company=self.branch).failure_codes, ["overdue_days"])

    def test_branch_delivery_blocked_on_the_root_exposure(self):
        self._deliver(self._order(self.customer, 6), 6)  # delivered, not invoiced: 600 in the root
        picking = self.env["stock.picking"].with_company(self.branch).create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": self.env["stock.picking.type"].search(
                    [("code", "=", "outgoing"), ("company_id", "=", self.branch.id)], limit=1
                ).id,
                "location_id": self.branch_stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.branch_stock.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 5
        picking.move_ids.picked = True
        action = picking.button_validate()
        self.assertEqual(action.get("res_model"), "credit.policy.delivery.block.wizard")
        release = picking.credit_release_ids
        # 600 + the 5 widgets shipped without an order at what their invoice
        # will claim: 5 x 100.00 with the 15 % customer tax the product got
        # from the chart loaded for the branch
        self.assertEqual((release.exposure_amount, release.limit_amount), (1175.0, 1000.0))

    def test_partner_figures_and_snapshot_in_a_branch(self):
        self._order(self.customer, 9, company=self.branch)
        self._run_precommit()
        customer = self.customer.with_company(self.branch)
        self.assertEqual((customer.credit_exposure, customer.credit_status), (900.0, "alert"))
        status = self.env["credit.policy.status"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(status.company_id, self.company, "one snapshot, in the root company")
        found = self.env["res.partner"].with_company(self.branch).search(
            [("credit_status", "=", "alert"), ("id", "=", self.customer.id)]
        )
        self.assertEqual(found, self.customer)

    def _branch_delivery(self, qty):
        """The delivery of a branch order due after the horizon (not in the exposure yet), ready to validate."""
        order = self._order(self.customer, qty, company=self.branch, days=60)
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        return picking

    def test_root_and_branch_orders_confirmed_together_add_up(self):
        root = self._order(self.customer, 6, confirm=False)
        branch = self._order(self.customer, 6, company=self.branch, confirm=False)
        results = (root | branch)._credit_evaluate_in_sequence()
        self.assertFalse(results[root.id].blocked)
        self.assertEqual(results[branch.id].failure_codes, ["over_limit"], "600 + 600 over the root's 1,000")
        self.assertEqual(results[branch.id].figures["exposure"], 1200.0)

    def test_root_and_branch_deliveries_validated_together_add_up(self):
        root = self._order(self.customer, 6, days=60).picking_ids
        root.move_ids.quantity = 6
        root.move_ids.picked = True
        branch = self._branch_delivery(6)
        releases = (root | branch)._credit_policy_block_releases()
        self.assertEqual(releases.picking_id, max(root, branch, key=lambda p: p.id), "the later one is blocked")
        self.assertEqual(releases.exposure_amount, 1200.0)
        with self.assertRaisesRegex(UserError, "blocked by the credit policy"):
            (root | branch).move_ids._action_done()

    def test_branch_invoice_held_to_the_root_credit_term(self):
        self.customer.with_company(self.company).credit_term_days = 30
        term = self.env["account.payment.term"].create(
            {
                "name": "Net 60",
                "early_discount": False,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 60})],
            }
        )
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, amounts=[100.0], taxes=self.env["account.tax"],
            company=self.branch,
        )
        invoice.invoice_payment_term_id = term
        with self.assertRaisesRegex(UserError, "60 days"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")

    def test_red_flag_set_in_a_branch_holds_the_customer(self):
        self.company.credit_red_flag_hold = True
        self.env["credit.policy.red.flag"].with_company(self.branch).create(
            {
                "partner_id": self.customer.id,
                "company_id": self.branch.id,
                "type_id": self.env.ref("credit_policy.credit_policy_red_flag_type_bounced_cheque").id,
                "evidence": "Cheque returned by the branch's bank",
            }
        )
        for company in (self.company, self.branch):
            self.assertIn("red_flag_pending", self.check._evaluate(self.customer, company=company).failure_codes)
