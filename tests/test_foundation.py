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
        officer = self.env.ref("credit_policy.group_credit_policy_officer")
        self.assertIn(self.env.ref("base.group_user"), user.implied_ids)
        self.assertIn(user, officer.implied_ids)
        self.assertIn(officer, controller.implied_ids)
        self.assertIn(user, controller.trans_implied_ids)
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
            # Need-to-know: no operational role reads the credit department's work.
            self.assertFalse(user.has_group("credit_policy.group_credit_policy_officer"))
        self.assertFalse(plain.has_group("credit_policy.group_credit_policy_user"))
        self.assertTrue(self.env.ref("base.user_admin").has_group("credit_policy.group_credit_policy_manager"))

    def test_credit_menu_visible_by_group(self):
        menu = self.env.ref("credit_policy.credit_policy_menu_root")
        salesman = new_test_user(self.env, "cp_sales2", groups="sales_team.group_sale_salesman")
        plain = new_test_user(self.env, "cp_plain2", groups="base.group_user")
        visible = self.env["ir.ui.menu"].with_user(salesman)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(plain)._visible_menu_ids())

    def test_credit_menus_need_to_know(self):
        """Each role sees the menus of what it may read (issue 7, need-to-know)."""
        menus = {
            name: self.env.ref(f"credit_policy.credit_policy_{name}_menu").id
            for name in ("release", "temporary_limit", "evaluation", "red_flag", "limit_history", "settings")
        }
        roles = {
            "sales_team.group_sale_salesman": {"release", "temporary_limit", "evaluation", "red_flag"},
            "stock.group_stock_user": {"release", "temporary_limit"},
            "credit_policy.group_credit_policy_regional_manager": {
                "release", "temporary_limit", "evaluation", "red_flag"
            },
            "credit_policy.group_credit_policy_officer": {
                "release", "temporary_limit", "evaluation", "red_flag", "limit_history"
            },
            "credit_policy.group_credit_policy_manager": set(menus),
            "account.group_account_invoice": set(),
        }
        for index, (group, expected) in enumerate(roles.items()):
            user = new_test_user(self.env, f"cp_menu{index}", groups=group)
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            with self.subTest(group=group):
                self.assertEqual({name for name, menu_id in menus.items() if menu_id in visible}, expected)


class TestCreditMenuInBrowser(ProductHttpCase):
    def test_login_and_open_credit_menu(self):
        self.start_tour("/odoo", "credit_policy_open_menu", login="admin")
