from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditAccessRights(CreditGradingCommon):
    def test_user_reads_manager_configures(self):
        for model in ("credit.policy.grade", "credit.policy.grade.table", "credit.policy.criterion", "credit.policy.red.flag.type"):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.salesperson).has_access("read"))
                self.assertFalse(self.env[model].with_user(self.salesperson).has_access("write"))
                self.assertTrue(self.env[model].with_user(self.credit_manager).has_access("write"))
        with self.assertRaises(AccessError):
            self.grade["A"].with_user(self.salesperson).max_limit = 1

    def test_history_is_read_only(self):
        history = self.env["credit.policy.limit.history"]
        # Need-to-know: the history is the credit department's; salespeople see
        # the customer's current grade and limit, not how they came about.
        self.assertFalse(history.with_user(self.salesperson).has_access("read"))
        self.assertTrue(history.with_user(self.credit_manager).has_access("read"))
        for user in (self.salesperson, self.credit_manager):
            with self.subTest(user=user.login):
                self.assertFalse(history.with_user(user).has_access("create"))
                self.assertFalse(history.with_user(user).has_access("write"))

    def test_evaluation_and_red_flag_rights(self):
        evaluation = self._evaluation(20, 18, 22, user=self.salesperson)
        self.assertEqual(evaluation.create_uid, self.salesperson)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).unlink()
        flag_type = self.env.ref("credit_policy.credit_policy_red_flag_type_export")
        flag = self.env["credit.policy.red.flag"].with_user(self.salesperson).create(
            {"partner_id": self.customer.id, "type_id": flag_type.id, "evidence": "Exports to Vietnam",
             "user_id": self.credit_manager.id}
        )
        self.assertEqual(flag.user_id, self.salesperson, "who set the flag cannot be forged")
        with self.assertRaises(AccessError):
            flag.with_user(self.salesperson).active = False
        flag.with_user(self.credit_manager).active = False
        plain = new_test_user(self.env, "cpg_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["credit.policy.evaluation"].with_user(plain).search([])

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "CPG Other Company"})
        other_evaluation = self.env["credit.policy.evaluation"].with_company(other).create(
            {"partner_id": self.customer.id, "company_id": other.id, "kind": "review"}
        )
        self.assertFalse(other_evaluation.grade_id, "the other company has no grade table yet")
        self.assertFalse(other_evaluation.line_ids, "its scoring sheet is its own")
        mine = self._evaluation(20, 18, 22)
        visible = self.env["credit.policy.evaluation"].with_user(self.credit_manager).search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertIn(mine, visible)
        self.assertNotIn(other_evaluation, visible)
        with self.assertRaises(AccessError):
            other_evaluation.with_user(self.credit_manager).read(["name"])

    def test_views_load_for_each_role(self):
        for user in (self.salesperson, self.finance, self.credit_manager):
            for model in ("credit.policy.evaluation", "credit.policy.red.flag", "res.partner"):
                with self.subTest(user=user.login, model=model):
                    arch = self.env[model].with_user(user).get_view(view_type="form")["arch"]
                    self.assertTrue(arch)
        partner_arch = self.env["res.partner"].with_user(self.credit_manager).get_view(view_type="form")["arch"]
        self.assertIn("action_open_credit_change_wizard", partner_arch)
        sales_arch = self.env["res.partner"].with_user(self.salesperson).get_view(view_type="form")["arch"]
        self.assertNotIn("action_open_credit_change_wizard", sales_arch)
