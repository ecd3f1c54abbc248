from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditFileCommon


@tagged("post_install", "-at_install")
class TestCreditFileComposition(CreditFileCommon):
    """客户构成分析: sales and exposure by grade, category and region."""

    def test_credit_department_groups_sales_and_exposure_by_grade(self):
        Composition = self.env["credit.policy.archive.composition"].with_user(self.officer)
        groups = Composition.read_group([], ["sales_amount:sum", "exposure_amount:sum"], ["grade_id"])
        self.assertIsInstance(groups, list)
        Composition.read_group([], ["sales_amount:sum"], ["categ_id", "state_id"], lazy=False)

    def test_confirmed_sales_count_by_product_category(self):
        category = self.env["product.category"].create({"name": "CPA Pumps"})
        product = self.env["product.product"].create({"name": "CPA Pump", "categ_id": category.id, "list_price": 50.0})
        partner = self.files["company"].partner_id
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 4, "price_unit": 50.0,
                                               "tax_id": [Command.clear()]})],
            }
        )
        order.action_confirm()
        self.env.flush_all()
        rows = self.env["credit.policy.archive.composition"].with_user(self.officer).search(
            [("partner_id", "=", partner.id), ("kind", "=", "sale")]
        )
        self.assertEqual(rows.categ_id, category)
        self.assertAlmostEqual(sum(rows.mapped("sales_amount")), 200.0)

    def test_salesperson_has_no_composition_analysis(self):
        with self.assertRaises(AccessError):
            self.env["credit.policy.archive.composition"].with_user(self.owner).search([])
