from odoo.tests import new_test_user

from .common import PRODUCT_ADDONS, ProductHttpCase, ProductTransactionCase


class TestFoundation(ProductTransactionCase):
    def test_all_addons_installed_together(self):
        modules = self.env["ir.module.module"].search([("name", "in", PRODUCT_ADDONS)])
        self.assertEqual(
            sorted(modules.mapped("name")), sorted(PRODUCT_ADDONS), "all three addons are known"
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_groups_imply_each_other(self):
        user = self.env.ref("credit_policy.group_credit_policy_user")
        controller = self.env.ref("credit_policy.group_credit_policy_controller")
        manager = self.env.ref("credit_policy.group_credit_policy_manager")
        self.assertIn(self.env.ref("base.group_user"), user.implied_ids)
        self.assertIn(user, controller.implied_ids)
        self.assertIn(self.env.ref("account.group_account_invoice"), controller.implied_ids)
        self.assertIn(controller, manager.implied_ids)
        self.assertIn(user, manager.trans_implied_ids)

    def test_odoo_roles_grant_credit_roles(self):
        salesman = new_test_user(self.env, "cp_sales", groups="sales_team.group_sale_salesman")
        warehouse = new_test_user(self.env, "cp_stock", groups="stock.group_stock_user")
        plain = new_test_user(self.env, "cp_plain", groups="base.group_user")
        for user in (salesman, warehouse):
            self.assertTrue(user.has_group("credit_policy.group_credit_policy_user"))
            self.assertFalse(user.has_group("credit_policy.group_credit_policy_controller"))
        self.assertFalse(plain.has_group("credit_policy.group_credit_policy_user"))
        self.assertTrue(self.env.ref("base.user_admin").has_group("credit_policy.group_credit_policy_manager"))

    def test_credit_menu_visible_by_group(self):
        menu = self.env.ref("credit_policy.credit_policy_menu_root")
        salesman = new_test_user(self.env, "cp_sales2", groups="sales_team.group_sale_salesman")
        plain = new_test_user(self.env, "cp_plain2", groups="base.group_user")
        visible = self.env["ir.ui.menu"].with_user(salesman)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(plain)._visible_menu_ids())


class TestCreditMenuInBrowser(ProductHttpCase):
    def test_login_and_open_credit_menu(self):
        self.start_tour("/odoo", "credit_policy_open_menu", login="admin")
