from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditMasterDataGuard(CreditGradingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user = new_test_user(
            cls.env, "cpmd_stock", groups="stock.group_stock_user,base.group_partner_manager"
        )
        cls.employee = new_test_user(cls.env, "cpmd_employee", groups="base.group_user")
        cls.head = cls.env["res.partner"].create({"name": "CPMD Group Head", "is_company": True})
        cls.head.with_user(cls.credit_manager).with_context(credit_policy_reason="Group limit").write(
            {"credit_limit": 50000}
        )

    def _history(self, partner=None):
        return self.env["credit.policy.limit.history"].search([("partner_id", "=", (partner or self.customer).id)])

    # Credit hold, group and collateral are credit master data.
    def test_hold_group_collateral_refused_to_partner_editors(self):
        self.customer.credit_on_hold = True
        member = self.env["res.partner"].create({"name": "CPMD Member", "is_company": True})
        member.credit_group_head_id = self.head
        attempts = [
            (self.customer, {"credit_on_hold": False}),
            (self.customer, {"credit_group_head_id": self.head.id}),
            (member, {"credit_group_head_id": False}),
            (self.customer, {"credit_collateral_value": 1000000}),
            (self.customer, {"credit_collateral_note": "Fake mortgage"}),
            (self.customer, {"credit_next_review_date": "2099-01-01"}),
        ]
        for user in (self.salesperson, self.warehouse_user):
            for partner, vals in attempts:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    partner.with_user(user).write(vals)
        self.assertTrue(self.customer.credit_on_hold)
        self.assertEqual(member.credit_group_head_id, self.head)
        self.assertFalse(self.customer.credit_group_head_id)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesperson).create(
                {"name": "Sneaky member", "is_company": True, "credit_group_head_id": self.head.id}
            )

    def test_manager_changes_hold_group_collateral_with_history(self):
        self.customer.with_user(self.credit_manager).with_context(credit_policy_reason="Court ruling").write(
            {"credit_on_hold": True, "credit_group_head_id": self.head.id, "credit_collateral_value": 800}
        )
        self.assertRecordValues(
            self._history(),
            [
                {
                    "old_on_hold": False,
                    "new_on_hold": True,
                    "old_group_head_id": False,
                    "new_group_head_id": self.head.id,
                    "old_collateral_value": 0,
                    "new_collateral_value": 800,
                    "reason": "Court ruling",
                    "user_id": self.credit_manager.id,
                }
            ],
        )

    def test_wizard_changes_hold_group_collateral(self):
        wizard_form = Form(
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .with_context(default_partner_id=self.customer.id)
        )
        wizard_form.on_hold = True
        wizard_form.group_head_id = self.head
        wizard_form.collateral_value = 2500
        wizard_form.collateral_note = "Warehouse mortgage"
        wizard_form.reason = "Bankruptcy filing of the parent"
        wizard_form.save().action_apply()
        self.assertRecordValues(
            self.customer,
            [
                {
                    "credit_on_hold": True,
                    "credit_group_head_id": self.head.id,
                    "credit_collateral_value": 2500,
                    "credit_collateral_note": "Warehouse mortgage",
                }
            ],
        )
        self.assertEqual(self._history().new_group_head_id, self.head)

    def test_contacts_and_creation_still_work(self):
        self.customer.with_user(self.credit_manager).with_context(credit_policy_reason="Audit").write(
            {"credit_on_hold": True, "credit_collateral_value": 10}
        )
        contact = self.env["res.partner"].with_user(self.salesperson).create(
            {"name": "CPMD Buyer", "parent_id": self.customer.id}
        )
        contact.with_user(self.salesperson).write({"phone": "555", "parent_id": self.head.id})
        partner_form = Form(self.env["res.partner"].with_user(self.warehouse_user))
        partner_form.name = "CPMD prospect"
        self.assertFalse(partner_form.save().credit_on_hold)
        # An employee who edits contacts but has no credit rights keeps working.
        editor = new_test_user(self.env, "cpmd_editor", groups="base.group_user,base.group_partner_manager")
        partner_form = Form(self.env["res.partner"].with_user(editor))
        partner_form.name = "CPMD supplier"
        partner_form.company_type = "company"
        supplier = partner_form.save()
        with Form(self.env["res.partner"].with_user(editor)) as contact_form:
            contact_form.name = "CPMD supplier contact"
            contact_form.parent_id = supplier
        supplier.with_user(editor).write({"phone": "777"})

    # Credit figures are for credit users only.
    def test_figures_hidden_from_plain_employees(self):
        partner = self.customer.with_user(self.employee)
        for name in (
            "credit_exposure",
            "credit_available",
            "credit_usage_percent",
            "credit_status",
            "credit_overdue_amount",
            "credit_grade_id",
            "credit_on_hold",
            "credit_group_head_id",
            "credit_collateral_value",
            "credit_next_review_date",
        ):
            with self.subTest(field=name), self.assertRaises(AccessError):
                partner.read([name])
        self.assertNotIn("credit_exposure", partner.fields_get())
        views = self.env["res.partner"].with_user(self.employee).get_views([(False, "form"), (False, "list")])
        self.assertNotIn("credit_exposure", views["models"]["res.partner"]["fields"])
        for user in (self.salesperson, self.warehouse_user):
            with self.subTest(user=user.login):
                views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
                self.assertIn("credit_exposure", views["models"]["res.partner"]["fields"])
                self.assertEqual(self.customer.with_user(user).read(["credit_status"])[0]["credit_status"], "no_limit")

    # The valid reason for late payment is the controller's call.
    def test_late_payment_reason_reserved_to_controllers(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [fields.Command.create({"name": "Goods", "price_unit": 100, "quantity": 1})],
            }
        )
        billing = new_test_user(self.env, "cpmd_billing", groups="account.group_account_invoice")
        with self.assertRaises(AccessError):
            invoice.with_user(billing).write({"credit_late_payment_reason": "Our fault, honest"})
        controller = new_test_user(self.env, "cpmd_ctrl", groups="credit_policy.group_credit_policy_controller")
        invoice.with_user(controller).write({"credit_late_payment_reason": "Our late delivery"})
        self.assertEqual(invoice.credit_late_payment_reason, "Our late delivery")

    # Grade bounds are checked on every write of the master data.
    def test_manager_direct_write_checks_grade_bounds(self):
        manager_partner = self.customer.with_user(self.credit_manager).with_context(credit_policy_reason="Review")
        manager_partner.write({"credit_grade_id": self.grade["B"].id, "credit_limit": 50000, "credit_term_days": 15})
        for vals in (
            {"credit_limit": 100001},
            {"credit_term_days": 16},
            {"credit_grade_id": self.grade["C"].id},
            {"credit_grade_id": self.grade["AAA"].id, "credit_limit": -1},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                manager_partner.write(vals)
        self.assertRecordValues(
            self.customer, [{"credit_grade_id": self.grade["B"].id, "credit_limit": 50000, "credit_term_days": 15}]
        )
        manager_partner.write({"credit_grade_id": self.grade["C"].id, "credit_limit": 0, "credit_term_days": 0})
        self.assertEqual(self.customer.credit_grade_id, self.grade["C"])

    def test_collateral_grade_capped_by_collateral(self):
        grade = self.env.ref("credit_policy.credit_policy_grade_three_b")
        manager_partner = self.customer.with_user(self.credit_manager).with_context(credit_policy_reason="Review")
        manager_partner.write({"credit_grade_id": grade.id, "credit_collateral_value": 30000, "credit_limit": 30000})
        with self.assertRaises(ValidationError):
            manager_partner.write({"credit_collateral_value": 20000})
        with self.assertRaises(ValidationError):
            manager_partner.write({"credit_limit": 30001})
        self.assertEqual(self.customer.credit_collateral_value, 30000)

    # Company settings are checked.
    def test_company_settings_constraints(self):
        for vals in (
            {"credit_warn_percent": 0},
            {"credit_warn_percent": 95},
            {"credit_warn_percent": 90},
            {"credit_alert_percent": 101},
            {"credit_max_overdue_percent": 120},
            {"credit_max_overdue_percent": -1},
            {"credit_overdue_tolerance_amount": -5},
            {"credit_release_validity_days": -1},
            {"credit_exposure_horizon_days": -30},
            {"credit_new_customer_max_order": -1},
            {"credit_release_tolerance_percent": -1},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"credit_warn_percent": 95, "credit_alert_percent": 90}).execute()
        self.company.write({"credit_warn_percent": 70, "credit_alert_percent": 100, "credit_max_overdue_percent": 10})
        self.assertEqual(self.company.credit_alert_percent, 100)


@tagged("post_install", "-at_install")
class TestCreditMasterDataCreationGuard(CreditGradingCommon):
    """A salesperson who may create contacts cannot smuggle credit master data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.aaa = cls.grade["AAA"]
        # sudo: legacy data, as imported.
        cls.customer.sudo().write({"credit_grade_id": cls.aaa.id, "credit_limit": 50000, "credit_term_days": 30})
        cls.head = cls.env["res.partner"].create({"name": "Guard Group Head", "is_company": True})
        cls.partners = cls.env["res.partner"].with_user(cls.salesperson)

    def test_context_defaults_are_no_free_pass(self):
        attempts = [
            ({"default_credit_limit": 999999}, {"credit_limit": 999999}),
            ({"default_credit_limit": 999999}, {}),
            ({"default_credit_group_head_id": self.head.id}, {"credit_group_head_id": self.head.id}),
            ({"default_credit_group_head_id": self.head.id}, {}),
            ({"default_credit_grade_id": self.aaa.id}, {}),
        ]
        for context, vals in attempts:
            with self.subTest(context=context, vals=vals), self.assertRaises(AccessError):
                self.partners.with_context(**context).create({"name": "Sneaky", "is_company": True, **vals})

    def test_company_under_a_customer_does_not_inherit(self):
        vals = {
            "name": "Sneaky subsidiary",
            "is_company": True,
            "parent_id": self.customer.id,
            "credit_limit": 50000,
            "credit_grade_id": self.aaa.id,
        }
        with self.assertRaises(AccessError):
            self.partners.create(vals)
        with self.assertRaises(AccessError):
            self.partners.with_context(default_is_company=True).create(
                {key: value for key, value in vals.items() if key != "is_company"}
            )

    def test_detached_contact_starts_without_credit(self):
        contacts = self.partners.create(
            [
                {"name": "Buyer", "parent_id": self.customer.id, "credit_grade_id": self.aaa.id, "credit_limit": 50000},
                {"name": "Accountant", "parent_id": self.customer.id},
            ]
        )
        buyer, accountant = contacts
        self.assertEqual(buyer.sudo().credit_grade_id, self.aaa)
        self.assertEqual(accountant.sudo().credit_limit, 50000)
        buyer.write({"parent_id": False})
        accountant.write({"is_company": True})
        for contact in contacts:
            self.assertEqual(contact.commercial_partner_id, contact)
            self.assertRecordValues(
                contact.sudo(), [{"credit_limit": 0, "credit_grade_id": False, "credit_term_days": 0}]
            )
        self.assertFalse(self.env["credit.policy.limit.history"].search([("partner_id", "in", contacts.ids)]))
        self.assertEqual(self.customer.sudo().credit_limit, 50000)

    def test_odoo_contact_flows_still_work(self):
        form = Form(self.customer.with_user(self.salesperson))
        with form.child_ids.new() as child:
            child.name = "Invoicing desk"
            child.type = "invoice"
        form.save()
        child = self.customer.child_ids.filtered(lambda c: c.name == "Invoicing desk")
        self.assertEqual(child.sudo().credit_limit, 50000)
        self.assertEqual(child.commercial_partner_id, self.customer)
        # Moving a contact to another company keeps it a contact: nothing to reset.
        other = self.partners.create({"name": "Other company", "is_company": True})
        child.with_user(self.salesperson).parent_id = other
        self.assertEqual(child.commercial_partner_id, other)
        # A Credit Manager may detach a contact with its values.
        contact = self.partners.create({"name": "Kept", "parent_id": self.customer.id})
        contact.with_user(self.credit_manager).parent_id = False
        self.assertEqual(contact.sudo().credit_limit, 50000)
