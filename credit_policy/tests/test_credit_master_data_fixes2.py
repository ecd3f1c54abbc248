from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CreditExposureCommon, CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditMasterDataCreationGuard(CreditGradingCommon):
    """A salesperson who may create contacts cannot smuggle credit master data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.aaa = cls.grade["AAA"]
        # sudo: legacy data, as imported.
        cls.customer.sudo().write({"credit_grade_id": cls.aaa.id, "credit_limit": 50000, "credit_term_days": 30})
        cls.head = cls.env["res.partner"].create({"name": "Fix2 Group Head", "is_company": True})
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


@tagged("post_install", "-at_install")
class TestCreditChangeWizardHold(CreditGradingCommon):
    def _wizard(self, **values):
        form = Form(
            self.env["credit.policy.limit.change.wizard"]
            .with_user(self.credit_manager)
            .with_context(default_partner_id=self.customer.id)
        )
        for name, value in values.items():
            setattr(form, name, value)
        form.reason = "Fix2"
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


@tagged("post_install", "-at_install")
class TestCreditMasterDataRefreshesStatus(CreditExposureCommon):
    def _status(self, partner=None):
        return self.env["credit.policy.status"].search(
            [("partner_id", "=", (partner or self.customer).id), ("company_id", "=", self.company.id)]
        )

    def test_limit_hold_and_group_changes_refresh_the_snapshot(self):
        self._order(self.customer, 9)
        self._run_precommit()
        self.assertRecordValues(self._status(), [{"band": "alert", "usage_percent": 90.0}])
        self.customer._credit_policy_set_master_data({"credit_limit": 9000}, reason="Raised")
        self._run_precommit()
        self.assertRecordValues(self._status(), [{"band": "ok", "usage_percent": 10.0, "effective_limit": 9000}])
        self.customer._credit_policy_set_master_data({"credit_on_hold": True}, reason="Blacklisted")
        self._run_precommit()
        self.assertEqual(self._status().status, "hold")
        # Joining a group refreshes the head, whose account now carries the member.
        head = self._credit_customer("Fix2 Head", 600.0)
        self._run_precommit()
        self.customer._credit_policy_set_master_data({"credit_group_head_id": head.id}, reason="Group")
        self._run_precommit()
        self.assertRecordValues(self._status(head), [{"band": "over", "exposure": 900.0}])
