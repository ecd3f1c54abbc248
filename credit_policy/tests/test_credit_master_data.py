from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditMasterData(CreditGradingCommon):
    def test_direct_write_refused_for_non_managers(self):
        controller = self.env["res.users"].create(
            {
                "name": "cpg controller",
                "login": "cpg_ctrl",
                "groups_id": [(6, 0, [self.env.ref("credit_policy.group_credit_policy_controller").id])],
            }
        )
        for user in (self.salesperson, controller, self.finance):
            for vals in ({"credit_limit": 5000}, {"credit_grade_id": self.grade["A"].id}, {"credit_term_days": 30}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    self.customer.with_user(user).write(vals)
        self.assertFalse(self.env["credit.policy.limit.history"].search([("partner_id", "=", self.customer.id)]))

    def test_unchanged_values_and_other_fields_pass(self):
        self.customer.with_user(self.salesperson).write({"credit_limit": 0, "phone": "+86 10 1234"})
        self.assertEqual(self.customer.phone, "+86 10 1234")

    def test_manager_direct_write_needs_the_typed_reason(self):
        manager_customer = self.customer.with_user(self.credit_manager)
        with self.assertRaisesRegex(UserError, "Change Credit"):
            manager_customer.write({"credit_limit": 5000})
        with self.assertRaisesRegex(UserError, "Change Credit"):
            manager_customer.with_context(credit_policy_reason="  ").write({"credit_limit": 5000})
        manager_customer.with_context(credit_policy_reason="Bank guarantee received").write(
            {"credit_limit": 5000, "phone": "123"}
        )
        history = self.env["credit.policy.limit.history"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            history,
            [{"old_limit": 0, "new_limit": 5000, "user_id": self.credit_manager.id, "reason": "Bank guarantee received"}],
        )
        self.assertEqual(self.customer.phone, "123")

    def test_negative_credit_data_refused_without_grade(self):
        self.assertFalse(self.customer.credit_grade_id)
        manager_customer = self.customer.with_user(self.credit_manager).with_context(credit_policy_reason="Typo")
        for vals in ({"credit_limit": -1}, {"credit_term_days": -30}, {"credit_collateral_value": -5}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                manager_customer.write(vals)
        self.assertEqual(self.customer.credit_limit, 0)

    def test_wizard_needs_reason_and_writes_history(self):
        wizard_form = Form(
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .with_context(default_partner_id=self.customer.id)
        )
        wizard_form.grade_id = self.grade["B"]
        wizard_form.credit_limit = 40000
        wizard_form.term_days = 15
        wizard_form.reason = "Guarantee from the parent company"
        wizard_form.save().action_apply()
        partner = self.customer.with_company(self.company)
        self.assertRecordValues(
            partner, [{"credit_grade_id": self.grade["B"].id, "credit_limit": 40000, "credit_term_days": 15}]
        )
        self.assertTrue(partner.credit_next_review_date)
        history = partner.credit_history_ids
        self.assertRecordValues(
            history,
            [
                {
                    "new_grade_id": self.grade["B"].id,
                    "new_limit": 40000,
                    "reason": "Guarantee from the parent company",
                    "evaluation_id": False,
                }
            ],
        )
        with self.assertRaises(UserError):
            partner.with_user(self.credit_manager)._credit_policy_set_master_data({"credit_limit": 1}, reason=" ")

    def test_wizard_respects_grade_bounds(self):
        wizard = (
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.customer.id, "grade_id": self.grade["B"].id, "credit_limit": 100001, "reason": "x"})
        )
        with self.assertRaises(ValidationError):
            wizard.action_apply()

    def _wizard(self, **values):
        form = Form(
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .with_context(default_partner_id=self.customer.id)
        )
        for name, value in values.items():
            setattr(form, name, value)
        form.reason = "Legacy term"
        return form.save()

    def test_legacy_customer_can_be_put_on_hold(self):
        grade = self.grade["B"]
        # sudo: a term granted before the grade was tightened.
        self.customer.sudo().write(
            {"credit_grade_id": grade.id, "credit_limit": grade.max_limit, "credit_term_days": grade.max_term_days + 30}
        )
        self._wizard(on_hold=True).action_apply()
        self.assertTrue(self.customer.sudo().credit_on_hold)
        history = self.env["credit.policy.limit.history"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            history,
            [{"old_on_hold": False, "new_on_hold": True, "new_term_days": grade.max_term_days + 30}],
        )
        # A change of the grant itself is still held to the grade's bounds.
        with self.assertRaises(ValidationError):
            self._wizard(credit_limit=grade.max_limit + 1).action_apply()

    def test_wizard_reserved_to_managers(self):
        with self.assertRaises(AccessError):
            self.env["credit.policy.limit.change.wizard"].with_user(self.salesperson).create(
                {"partner_id": self.customer.id, "credit_limit": 1, "reason": "x"}
            )

    def test_partner_creation_and_contact_sync_still_work(self):
        self.customer.with_user(self.credit_manager).with_context(credit_policy_reason="Grant").write(
            {"credit_limit": 7000}
        )
        partner = self.env["res.partner"].with_user(self.salesperson).create({"name": "New prospect", "is_company": True})
        self.assertEqual(partner.credit_limit, 0)
        form = Form(self.env["res.partner"].with_user(self.salesperson))
        form.name = "Form prospect"
        form.save()
        contact = self.env["res.partner"].with_user(self.salesperson).create(
            {"name": "Buyer", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.credit_limit, 7000)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesperson).create({"name": "Sneaky", "credit_limit": 99})

    def test_company_default_limit_fallback(self):
        self.env["ir.default"].set("res.partner", "credit_limit", 1000, company_id=self.company.id)
        partner = self.env["res.partner"].with_user(self.salesperson).create({"name": "Defaulted", "is_company": True})
        self.assertEqual(partner.credit_limit, 1000)
        # Odoo's own "use partner credit limit" switch goes back to the fallback,
        # with a reason like any change.
        manager_partner = partner.with_user(self.credit_manager).with_context(credit_policy_reason="Grant")
        manager_partner.credit_limit = 1200
        with self.assertRaisesRegex(UserError, "Change Credit"):
            partner.with_user(self.credit_manager).use_partner_credit_limit = False
        manager_partner.use_partner_credit_limit = False
        self.assertEqual(partner.credit_limit, 1000)
        self.assertEqual(partner.credit_history_ids.sorted("id").mapped("new_limit"), [1200, 1000])

    def test_manager_creation_with_limit_is_recorded(self):
        Partner = self.env["res.partner"].with_user(self.credit_manager)
        with self.assertRaisesRegex(UserError, "Change Credit"):
            Partner.create({"name": "Big customer", "is_company": True, "credit_limit": 12345})
        partner = Partner.with_context(credit_policy_reason="Opening grant").create(
            {"name": "Big customer", "is_company": True, "credit_limit": 12345}
        )
        self.assertEqual(partner.credit_limit, 12345)
        self.assertEqual(partner.credit_history_ids.new_limit, 12345)
