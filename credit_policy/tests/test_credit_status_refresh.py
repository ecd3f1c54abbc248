from unittest.mock import patch

from psycopg2 import errors

from odoo import Command
from odoo.tests import tagged

from odoo.addons.credit_policy.models.credit_policy_status import CreditPolicyStatus

from .common import CreditExposureCommon


@tagged("post_install", "-at_install")
class TestCreditStatusRefresh(CreditExposureCommon):
    """The credit status snapshot: refreshed by master data changes, mirrored by
    a group's members; a failing refresh never blocks accounting, but
    concurrency errors reach Odoo's retry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.status = cls.env["credit.policy.status"]

    def _status(self, partner=None):
        return self.env["credit.policy.status"].search(
            [("partner_id", "=", (partner or self.customer).id), ("company_id", "=", self.company.id)]
        )

    def test_limit_hold_and_group_changes_refresh_the_snapshot(self):
        self._order(self.customer, 9)
        self._run_precommit()
        self.assertRecordValues(self._status(), [{"band": "alert", "usage_percent": 90.0}])
        self.customer.sudo()._credit_policy_set_master_data({"credit_limit": 9000}, reason="Raised")
        self._run_precommit()
        self.assertRecordValues(self._status(), [{"band": "ok", "usage_percent": 10.0, "effective_limit": 9000}])
        self.customer._credit_policy_set_master_data({"credit_on_hold": True}, reason="Blacklisted")
        self._run_precommit()
        self.assertEqual(self._status().status, "hold")
        # Joining a group refreshes the head, whose account now carries the member.
        head = self._credit_customer("New Group Head", 600.0)
        self._run_precommit()
        self.customer._credit_policy_set_master_data({"credit_group_head_id": head.id}, reason="Group")
        self._run_precommit()
        self.assertRecordValues(self._status(head), [{"band": "over", "exposure": 900.0}])

    def test_confirmed_order_changed_refreshes_the_snapshot(self):
        order = self._order(self.customer, 7)
        self._run_precommit()
        self.assertEqual(self._status().usage_percent, 70.0)
        order.order_line.product_uom_qty = 9
        self._run_precommit()
        self.assertRecordValues(self._status(), [{"band": "alert", "usage_percent": 90.0}])
        order.order_line = [Command.create({"product_id": self.product.id, "product_uom_qty": 3, "price_unit": 100.0,
                                            "tax_id": [Command.clear()]})]
        self._run_precommit()
        self.assertRecordValues(self._status(), [{"band": "over", "usage_percent": 120.0}])

    def test_partner_deleted_since_its_change_is_skipped(self):
        """A partner marked for refresh and deleted before the commit is
        skipped; the others of the transaction are refreshed."""
        gone = self.env["res.partner"].create({"name": "Short-lived customer", "is_company": True})
        self.status._mark_dirty(gone | self.customer, self.company)
        gone.unlink()
        self._order(self.customer, 9)
        self._run_precommit()
        self.assertRecordValues(self._status(), [{"band": "alert", "usage_percent": 90.0}])
        self.assertFalse(self.status.search([("partner_id", "=", gone.id)]))

    def test_member_snapshot_mirrors_the_group(self):
        member = self._member()
        self._order(member, 17, price=50.0)  # 850 of the head's 1000
        self._run_precommit()
        Partner = self.env["res.partner"]
        self.assertIn(member, Partner.search([("credit_usage_percent", ">", 80.0)]))
        self.assertIn(member, Partner.search([("credit_status", "=", "warn")]))
        rows = self.env["credit.policy.status"].search([("partner_id", "in", (member | self.customer).ids)])
        self.assertEqual(set(rows.mapped("usage_percent")), {85.0})
        self.assertEqual(member.credit_usage_percent, 85.0, "the form agrees with the search")
        warnings = self.env["mail.activity"].search(
            [("activity_type_id", "=", self.env.ref("credit_policy.mail_activity_type_credit_warning").id),
             ("res_model", "=", "res.partner"), ("res_id", "in", (member | self.customer).ids)]
        )
        self.assertEqual(warnings.mapped("res_id"), [self.customer.id], "the head escalates once")

    def test_refresh_failure_does_not_block_posting(self):
        # Escalation cannot find the credit department any more.
        self.env["ir.model.data"].search(
            [("module", "=", "credit_policy"), ("name", "=", "group_credit_policy_manager")]
        ).unlink()
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, amounts=[900.0], taxes=self.env["account.tax"],
        )
        with self.assertLogs("odoo.addons.credit_policy.models.credit_policy_status", "ERROR"):
            invoice.action_post()
            self._run_precommit()
        self.assertEqual(invoice.state, "posted")
        self._pay(invoice, 900.0)
        self.assertEqual(invoice.payment_state, "paid")

    def test_refresh_reraises_concurrency_errors_only(self):
        # Run the refresh the fixtures scheduled, before the fault is injected.
        self.env.cr.flush()

        def serialization_failure(*args, **kwargs):
            raise errors.SerializationFailure("could not serialize access")

        with patch.object(CreditPolicyStatus, "_write_account_figures", serialization_failure), \
                self.assertRaises(errors.SerializationFailure):
            self.status._refresh(self.customer, self.company)

        def broken(*args, **kwargs):
            raise ValueError("broken escalation")

        with patch.object(CreditPolicyStatus, "_write_account_figures", broken), \
                self.assertLogs("odoo.addons.credit_policy.models.credit_policy_status", "ERROR"):
            self.assertFalse(self.status._refresh(self.customer, self.company))
