from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import CreditGradingCommon


class CreditSettingsCommon(CreditGradingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"credit_warn_percent": 80.0, "credit_alert_percent": 90.0, "credit_max_overdue_days": 0})
        cls.other_company = cls.env["res.company"].create({"name": "CPS Other Company"})
        cls.manager_two_companies = new_test_user(
            cls.env,
            "cps_cm2",
            groups="base.group_user,credit_policy.group_credit_policy_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id, cls.other_company.id],
        )

    def _settings(self, user, vals, company=None):
        model = self.env["credit.policy.settings"].with_user(user)
        if company:
            model = model.with_company(company)
        return model.create(vals)


@tagged("post_install", "-at_install")
class TestCreditSettingsAccess(CreditSettingsCommon):
    """Credit Managers maintain the credit settings under Credit > Configuration,
    with the company's constraints; nobody else does."""

    def test_credit_manager_saves_credit_settings(self):
        self.assertFalse(self.credit_manager.has_group("base.group_system"), "a Credit Manager, not an admin")
        settings = self._settings(
            self.credit_manager, {"credit_warn_percent": 70.0, "credit_alert_percent": 85.0, "credit_max_overdue_days": 45}
        )
        self.assertEqual(settings.company_id, self.company)
        self.assertEqual(
            (self.company.credit_warn_percent, self.company.credit_alert_percent, self.company.credit_max_overdue_days),
            (70.0, 85.0, 45),
        )
        settings.write({"credit_check_mode": "block"})
        self.assertEqual(self.company.credit_check_mode, "block")
        action = settings.action_save()
        self.assertEqual(action["res_model"], "credit.policy.settings")
        fresh = self.env["credit.policy.settings"].with_user(self.credit_manager).new({})
        self.assertEqual(fresh.credit_warn_percent, 70.0, "the form shows the company's values")

    def test_both_thresholds_checked_together(self):
        """Raising both thresholds at once is valid even though raising the
        first alone would cross the second."""
        self._settings(self.credit_manager, {"credit_warn_percent": 95.0, "credit_alert_percent": 98.0})
        self.assertEqual((self.company.credit_warn_percent, self.company.credit_alert_percent), (95.0, 98.0))

    def test_constraints_still_apply(self):
        for vals in (
            {"credit_warn_percent": 95.0},
            {"credit_max_overdue_percent": 120.0},
            {"credit_release_validity_days": -1},
            {"credit_grade_table_id": self.env["credit.policy.grade.table"].create(
                {"name": "CPS Foreign Table", "company_id": self.other_company.id}
            ).id},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._settings(self.credit_manager, vals)
        self.assertEqual(self.company.credit_warn_percent, 80.0)

    def test_only_credit_managers(self):
        for user in (self.salesperson, self.finance, self.regional_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._settings(user, {"credit_warn_percent": 50.0})
                with self.assertRaises(AccessError):
                    self.env["credit.policy.settings"].with_user(user)._check_credit_settings_rights()
        self.assertEqual(self.company.credit_warn_percent, 80.0)

    def test_current_company_only(self):
        other_days = self.other_company.credit_max_overdue_days
        settings = self._settings(
            self.manager_two_companies,
            {"company_id": self.other_company.id, "credit_max_overdue_days": 12},
        )
        self.assertEqual(settings.company_id, self.company, "the company sent by the caller is ignored")
        self.assertEqual(self.company.credit_max_overdue_days, 12)
        self.assertEqual(self.other_company.credit_max_overdue_days, other_days)
        self._settings(self.manager_two_companies, {"credit_max_overdue_days": 20}, company=self.other_company)
        self.assertEqual(self.other_company.credit_max_overdue_days, 20)
        with self.assertRaises(AccessError):
            self._settings(self.credit_manager, {"credit_max_overdue_days": 30}, company=self.other_company)
        self.assertEqual(self.other_company.credit_max_overdue_days, 20)

    def test_admin_keeps_general_settings(self):
        admin = self.env.ref("base.user_admin")
        self.env["res.config.settings"].with_user(admin).create({"credit_max_overdue_days": 33}).execute()
        self.assertEqual(self.env.company.credit_max_overdue_days, 33)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].with_user(admin).create(
                {"credit_warn_percent": 95, "credit_alert_percent": 90}
            ).execute()

    def test_both_settings_forms_show_every_credit_setting(self):
        """Credit Managers' form and the administrators' Settings edit the same
        credit settings, the crisis signal thresholds included."""
        names = self.env["credit.policy.settings.fields"]._credit_settings_field_names()
        self.assertIn("credit_crisis_delay_jump_days", names)
        admin = self.env.ref("base.user_admin")
        forms = (
            self.env["credit.policy.settings"].with_user(self.credit_manager),
            self.env["res.config.settings"].with_user(admin),
        )
        for model in forms:
            arch = model.get_view(view_type="form")["arch"]
            for name in names:
                with self.subTest(model=model._name, field=name):
                    self.assertIn(f'name="{name}"', arch)
        self.env["res.config.settings"].with_user(admin).create(
            {"credit_crisis_demand_percent": 40.0, "credit_crisis_delay_jump_days": 15}
        ).execute()
        self.assertEqual(
            (self.env.company.credit_crisis_demand_percent, self.env.company.credit_crisis_delay_jump_days),
            (40.0, 15),
        )

    def test_only_administrators_switch_four_eyes(self):
        """Credit Managers decide credit requests: they see the four-eyes
        principle on their form but cannot lift it; administrators can."""
        self.assertTrue(self.company.credit_four_eyes)
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            self._settings(self.credit_manager, {"credit_four_eyes": False, "credit_max_overdue_days": 40})
        settings = self._settings(self.credit_manager, {"credit_four_eyes": True, "credit_max_overdue_days": 40})
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            settings.write({"credit_four_eyes": False})
        self.assertTrue(self.company.credit_four_eyes)
        self.assertEqual(self.company.credit_max_overdue_days, 40, "the same value is no change")
        arch = self.env["credit.policy.settings"].with_user(self.credit_manager).get_view(view_type="form")["arch"]
        self.assertRegex(arch, r'<field name="credit_four_eyes"[^>]*readonly="(1|True)"')
        admin = self.env.ref("base.user_admin")
        self.env["res.config.settings"].with_user(admin).create({"credit_four_eyes": False}).execute()
        self.assertFalse(self.company.credit_four_eyes)

    def test_settings_menu_for_credit_managers(self):
        menu = self.env.ref("credit_policy.credit_policy_settings_menu")
        self.assertEqual(menu.action, self.env.ref("credit_policy.credit_policy_settings_action"))
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.credit_manager)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.salesperson)._visible_menu_ids())
        arch = self.env["credit.policy.settings"].with_user(self.credit_manager).get_view(view_type="form")["arch"]
        self.assertIn("credit_warn_percent", arch)


@tagged("post_install", "-at_install")
class TestCreditSettingsAccessRpc(CreditSettingsCommon, HttpCase):
    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_credit_manager_saves_over_rpc_salesperson_cannot(self):
        self.authenticate(self.credit_manager.login, self.credit_manager.login)
        # What the form does: save the record, then run its button.
        [settings_id] = self._call("credit.policy.settings", "create", [[{"credit_max_overdue_days": 21}]])
        self._call("credit.policy.settings", "action_save", [[settings_id]])
        self.company.invalidate_recordset()
        self.assertEqual(self.company.credit_max_overdue_days, 21)
        # the four-eyes principle is not theirs to lift, whatever the form sends
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("credit.policy.settings", "write", [[settings_id], {"credit_four_eyes": False}])
        self.company.invalidate_recordset()
        self.assertTrue(self.company.credit_four_eyes)
        with self.assertRaisesRegex(JsonRpcException, "ValidationError"):
            self._call("credit.policy.settings", "create", [[{"credit_warn_percent": 99.0}]])
        # Odoo's general settings stay the administrators'.
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("res.config.settings", "create", [[{"credit_max_overdue_days": 5}]])

        self.authenticate(self.salesperson.login, self.salesperson.login)
        for model in ("credit.policy.settings", "res.config.settings"):
            with self.subTest(model=model), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(model, "create", [[{"credit_max_overdue_days": 99}]])
        self.company.invalidate_recordset()
        self.assertEqual(self.company.credit_max_overdue_days, 21)
