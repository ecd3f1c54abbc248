from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.credit_policy import policy

from .common import CreditPolicyDeliveryCase


@tagged("post_install", "-at_install")
class TestDeliveryBlock(CreditPolicyDeliveryCase):
    # ------------------------------------------------------------------
    # The hook: what is checked, what passes
    # ------------------------------------------------------------------
    def test_delivery_within_limit_validates(self):
        picking = self._create_delivery(5)
        self.assertIs(self._validate(picking), True)
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.credit_release_ids)

    def test_over_limit_prompts_and_validates_nothing(self):
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking))
        self.assertEqual(picking.state, "assigned")
        release = wizard.release_ids
        self.assertRecordValues(
            release,
            [
                {
                    "picking_id": picking.id,
                    "partner_id": self.customer.id,
                    "state": "blocked",
                    "amount": 1500.0,
                    "limit_amount": 1000.0,
                    "exposure_amount": 1500.0,
                    "available_amount": -500.0,
                    "failure_codes": "over_limit",
                }
            ],
        )
        self.assertIn("1,000", release.failure_summary)
        self.assertEqual(release.figures["effective_limit"], 1000.0)
        self.assertEqual(picking.credit_release_state, "blocked")
        # Validating again reuses the open record.
        self._assert_prompt(self._validate(picking))
        self.assertEqual(len(picking.credit_release_ids), 1)

    def test_sale_order_delivery_counted_once(self):
        # The order (800) is in the exposure already: its delivery adds nothing.
        picking = self._create_sale_delivery(8)
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (800.0, 0.0))
        self.assertEqual(result.figures["exposure"], 800.0)
        self.assertIs(self._validate(picking), True)
        self.assertEqual(picking.state, "done")

    def test_sale_order_beyond_horizon_counts_its_delivery(self):
        # An order due after the horizon is not in the exposure: shipping it early adds its value.
        picking = self._create_sale_delivery(12, due_in_days=90)
        value, uncounted, result = picking._credit_policy_evaluate()
        self.assertEqual((value, uncounted), (1200.0, 1200.0))
        self.assertTrue(result.blocked)
        self._assert_prompt(self._validate(picking))

    def test_sale_order_over_limit_blocks(self):
        picking = self._create_sale_delivery(12)
        wizard = self._assert_prompt(self._validate(picking))
        self.assertEqual(wizard.release_ids.amount, 1200.0)
        self.assertEqual(picking.state, "assigned")

    def test_credit_hold_blocks_any_delivery(self):
        self.customer.credit_on_hold = True
        picking = self._create_delivery(1)
        wizard = self._assert_prompt(self._validate(picking))
        self.assertIn("credit_hold", wizard.release_ids.failure_codes)

    def test_receipts_returns_internal_and_dropship_never_blocked(self):
        # A delivery within the limit ships first, then the customer goes on hold.
        delivery = self._create_delivery(3)
        self._validate(delivery)
        self.customer.credit_on_hold = True
        # Customer return of that delivery.
        return_wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=delivery.id, active_model="stock.picking")
        ).save()
        return_wizard.product_return_moves.quantity = 3
        customer_return = return_wizard._create_return()
        # Receipt from the same partner (e.g. goods it supplies us), internal transfer, dropship.
        receipt = self._create_delivery(
            4, picking_type=self.picking_type_in, source=self.supplier_location, destination=self.stock_location
        )
        internal = self._create_delivery(
            4,
            picking_type=self.env.ref("stock.picking_type_internal"),
            destination=self.env["stock.location"].create(
                {"name": "Shelf 9", "location_id": self.stock_location.id, "usage": "internal"}
            ),
        )
        dropship = self._create_delivery(2, source=self.supplier_location)
        for picking in customer_return | receipt | internal | dropship:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            self.assertIs(self._validate(picking), True, picking.picking_type_id.name)
            self.assertEqual(picking.state, "done")
        self.assertFalse((customer_return | receipt | internal | dropship).credit_release_ids)

    # ------------------------------------------------------------------
    # No path bypasses the block
    # ------------------------------------------------------------------
    def test_lower_level_paths_are_guarded(self):
        picking = self._create_delivery(15)
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "blocked by the credit policy"):
            picking.with_user(self.warehouse_user)._action_done()
        with self.assertRaisesRegex(UserError, "blocked by the credit policy"):
            picking.move_ids.with_user(self.warehouse_user)._action_done()
        # Context keys that other modules honour disarm nothing.
        bypass = {
            "skip_backorder": True,
            "skip_sanity_check": True,
            "skip_credit_check": True,
            "bypass_risk": True,
            "credit_policy_released": True,
        }
        self._assert_prompt(picking.with_user(self.warehouse_user).with_context(**bypass).button_validate())
        with self.assertRaises(UserError):
            picking.with_context(**bypass)._action_done()
        self.assertEqual(picking.state, "assigned")

    def test_server_action_is_guarded(self):
        picking = self._create_delivery(15)
        picking.move_ids.picked = True
        server_action = self.env["ir.actions.server"].create(
            {
                "name": "Ship without asking",
                "model_id": self.env.ref("stock.model_stock_picking").id,
                "state": "code",
                "code": "records._action_done()",
            }
        )
        with self.assertRaisesRegex(UserError, "blocked by the credit policy"):
            server_action.with_context(active_model="stock.picking", active_ids=picking.ids).run()
        self.assertEqual(picking.state, "assigned")

    def test_backorder_wizard_still_works_then_prompts(self):
        picking = self._create_delivery(15)
        picking.move_ids.quantity = 12
        action = self._validate(picking)
        self.assertEqual(action["res_model"], "stock.backorder.confirmation", "core wizard first")
        backorder_wizard = Form.from_action(self.env(user=self.warehouse_user), action).save()
        self._assert_prompt(backorder_wizard.process())
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.backorder_ids)
        release = picking.credit_release_ids
        self.assertEqual(release.amount, 1200.0)
        # Released, the backorder wizard completes the delivery and the backorder.
        self._release(picking)
        action = self._validate(picking)
        Form.from_action(self.env(user=self.warehouse_user), action).save().process()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.backorder_ids.move_ids.product_uom_qty, 3)
        self.assertEqual(release.state, "used")

    def test_batch_validation_counts_deliveries_together(self):
        # Each delivery fits the limit alone, together they do not: nothing is validated.
        first, second = self._create_delivery(6), self._create_delivery(6)
        wizard = self._assert_prompt(self._validate(first | second))
        self.assertEqual(wizard.release_ids.picking_id, second)
        self.assertEqual((first | second).mapped("state"), ["assigned", "assigned"])
        with self.assertRaisesRegex(UserError, second.name):
            (first | second).move_ids.picked = True
            (first | second)._action_done()
        # One at a time, the first one ships.
        self.assertIs(self._validate(first), True)

    # ------------------------------------------------------------------
    # Prompt → request → release → validation
    # ------------------------------------------------------------------
    def test_request_release_then_validate(self):
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking))
        wizard = wizard.with_user(self.warehouse_user)
        wizard.note = "Customer promises payment today."
        wizard.action_request_release()
        release = picking.credit_release_ids
        self.assertRecordValues(
            release,
            [{"state": "requested", "requested_by_id": self.warehouse_user.id, "request_note": wizard.note}],
        )
        self.assertIn(self.controller, release.activity_ids.user_id)
        self.assertIn(self.manager, release.activity_ids.user_id)
        self.assertNotIn(self.warehouse_user, release.activity_ids.user_id)
        # Still blocked until released; the prompt no longer offers a new request.
        wizard = self._assert_prompt(self._validate(picking))
        self.assertFalse(wizard.can_request)
        self.assertEqual(picking.state, "assigned")

        self._release(picking, reason="Customer paid in advance by wire transfer.")
        self.assertRecordValues(
            release,
            [
                {
                    "state": "released",
                    "decided_by_id": self.controller.id,
                    "reason": "Customer paid in advance by wire transfer.",
                    "amount": 1500.0,
                }
            ],
        )
        self.assertFalse(release.activity_ids, "the controllers' activities are closed")
        for record in (picking, self.customer, release):
            self.assertTrue(
                any("wire transfer" in message.body for message in record.message_ids),
                f"release posted in the chatter of {record._name}",
            )
        self.assertIs(self._validate(picking), True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(release.state, "used")

    def test_release_needs_a_reason(self):
        picking = self._create_delivery(15)
        self._validate(picking)
        with self.assertRaisesRegex(UserError, "reason"):
            picking.credit_release_ids.with_user(self.controller)._release("  ")

    def test_reject_notifies_requester(self):
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking))
        wizard.with_user(self.warehouse_user).action_request_release()
        release = picking.credit_release_ids
        action = release.with_user(self.controller).action_open_reject_wizard()
        self.env["credit.policy.release.wizard"].with_user(self.controller).with_context(action["context"]).create(
            {"reason": "Two invoices are 60 days overdue."}
        ).action_confirm()
        self.assertRecordValues(release, [{"state": "rejected", "decided_by_id": self.controller.id}])
        message = release.message_ids.filtered(lambda m: "60 days overdue" in m.body)
        self.assertIn(self.warehouse_user.partner_id, message.partner_ids)
        self.assertEqual(picking.credit_release_state, "rejected")
        self._assert_prompt(self._validate(picking))
        self.assertEqual(picking.state, "assigned")

    # ------------------------------------------------------------------
    # Who may release (server side)
    # ------------------------------------------------------------------
    def test_warehouse_user_and_salesperson_cannot_release(self):
        picking = self._create_delivery(15)
        self._validate(picking)
        release = picking.credit_release_ids
        for user in (self.warehouse_user, self.salesman):
            with self.assertRaises(AccessError):
                release.with_user(user)._release("I say so")
            with self.assertRaises(AccessError):
                release.with_user(user).write({"state": "released"})
            with self.assertRaises(AccessError):
                self.env["credit.policy.release.wizard"].with_user(user).create(
                    {"release_ids": release.ids, "reason": "I say so"}
                )
            with self.assertRaises(AccessError):
                self.env["credit.policy.release"].with_user(user).create(
                    {
                        "picking_id": picking.id,
                        "partner_id": self.customer.id,
                        "state": "released",
                        "amount": 1e9,
                    }
                )
        # Even a Credit Manager cannot skip the Release action's checks by writing.
        with self.assertRaises(AccessError):
            release.with_user(self.manager).write({"state": "released", "amount": 1e9})
        self.assertEqual(release.state, "blocked")
        self._assert_prompt(self._validate(picking))

    def test_release_records_come_from_validation_only(self):
        picking = self._create_delivery(15)
        for vals in ({}, {"state": "requested"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.env["credit.policy.release"].with_user(self.warehouse_user).create(
                    {"picking_id": picking.id, "partner_id": self.customer.id, **vals}
                )
        wizard = self._assert_prompt(self._validate(picking))
        wizard.with_user(self.warehouse_user).action_request_release()
        self.assertEqual(picking.credit_release_ids.state, "requested")

    def test_manager_threshold(self):
        self.company.credit_release_manager_amount = 1200.0
        picking = self._create_delivery(15)
        self._validate(picking)
        release = picking.credit_release_ids
        self.assertTrue(release.manager_required)
        with self.assertRaisesRegex(AccessError, "Credit Manager"):
            self._release(picking, user=self.controller)
        self.assertEqual(release.state, "blocked")
        self._release(picking, user=self.manager)
        self.assertEqual(release.state, "released")

    def test_controller_releases_below_threshold(self):
        self.company.credit_release_manager_amount = 2000.0
        picking = self._create_delivery(15)
        self._validate(picking)
        self.assertFalse(picking.credit_release_ids.manager_required)
        self._release(picking, user=self.controller)
        self.assertEqual(picking.credit_release_ids.state, "released")

    def test_dunning_stop_needs_manager(self):
        # Stand-in for the dunning addon's rule, appended at the documented extension point.
        check_class = type(self.env["credit.policy.check"])
        original = check_class._get_credit_rules

        def dunning_stop(check, data):
            data.figures["dunning_stage"] = "5"
            return policy.RuleFailure("dunning_stop", "Shipping stopped by dunning.", {"dunning_stage": "5"})

        def rules(check):
            return original(check) + [lambda data: dunning_stop(check, data)]

        with patch.object(check_class, "_get_credit_rules", rules):
            picking = self._create_delivery(1)
            wizard = self._assert_prompt(self._validate(picking))
            release = wizard.release_ids
            self.assertEqual(release.failure_codes, "dunning_stop")
            self.assertEqual(release.dunning_stage, "5")
            self.assertTrue(release.manager_required)
            with self.assertRaises(AccessError):
                self._release(picking, user=self.controller)
            self._release(picking, user=self.manager)
            self.assertIs(self._validate(picking), True)

    def test_release_covers_only_the_reasons_it_was_granted_for(self):
        picking = self._create_delivery(15)
        self._validate(picking)
        release = self._release(picking)
        self.assertEqual(release.failure_codes, "over_limit")
        # Put on credit hold after the release: a new reason blocks again.
        self.customer.with_context(credit_policy_reason="Cheque bounced").credit_on_hold = True
        wizard = self._assert_prompt(self._validate(picking))
        self.assertIn("credit_hold", wizard.release_ids.failure_codes)
        self.assertEqual(release.state, "expired")
        self.assertEqual(picking.state, "assigned")
        with self.assertRaisesRegex(UserError, "blocked by the credit policy"):
            picking.with_user(self.warehouse_user).move_ids._action_done()
        # Released again for both reasons, it ships.
        self._release(picking)
        self.assertIs(self._validate(picking), True)
        self.assertEqual(picking.state, "done")

    # ------------------------------------------------------------------
    # A release is for that delivery and its value, for a while
    # ------------------------------------------------------------------
    def test_release_lapses_after_validity(self):
        picking = self._create_delivery(15)
        self._validate(picking)
        release = self._release(picking)
        self.assertEqual(release.expiry_date.date(), fields.Date.today() + timedelta(days=7))
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            with self.assertRaises(UserError):
                picking.with_context(skip_backorder=True)._action_done()
            wizard = self._assert_prompt(self._validate(picking))
        self.assertEqual(release.state, "expired")
        self.assertNotEqual(wizard.release_ids, release)
        self.assertEqual(wizard.release_ids.state, "blocked")

    def test_release_tolerates_small_growth_only(self):
        self.product.list_price = 10.0
        picking = self._create_delivery(150)
        self._validate(picking)
        release = self._release(picking)
        self.assertEqual(release.amount, 1500.0)
        picking.move_ids.quantity = 155  # +3.3 %, within the 5 % tolerance
        self.assertIs(self._validate(picking), True)
        self.assertEqual(release.state, "used")

    def test_release_reblocks_on_value_growth(self):
        self.product.list_price = 10.0
        picking = self._create_delivery(150)
        self._validate(picking)
        release = self._release(picking)
        picking.move_ids.quantity = 160  # +6.7 %
        wizard = self._assert_prompt(self._validate(picking))
        self.assertEqual(release.state, "expired")
        self.assertEqual(wizard.release_ids.amount, 1600.0)
        self.assertEqual(picking.state, "assigned")

    def test_release_is_for_that_delivery_only(self):
        first, second = self._create_delivery(15), self._create_delivery(15)
        self._validate(first)
        self._release(first)
        self._assert_prompt(self._validate(second))
        self.assertIs(self._validate(first), True)

    # ------------------------------------------------------------------
    # Blocked-documents list
    # ------------------------------------------------------------------
    def test_blocked_list_content(self):
        grade_table = self.env["credit.policy.grade.table"].create({"name": "Test table"})
        grade = self.env["credit.policy.grade"].create({"table_id": grade_table.id, "code": "B", "name": "Watch"})
        self.customer.credit_grade_id = grade
        # An overdue invoice of 300, 40 days past due.
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": fields.Date.today() - timedelta(days=70),
                "invoice_date_due": fields.Date.today() - timedelta(days=40),
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "quantity": 3, "price_unit": 100.0, "tax_ids": False})
                ],
            }
        )
        invoice.action_post()
        picking = self._create_delivery(9)
        wizard = self._assert_prompt(self._validate(picking))
        wizard.with_user(self.warehouse_user).action_request_release()
        action = self.env.ref("credit_policy.credit_policy_release_action")
        self.assertEqual(action.context, "{'search_default_open': 1}")
        listed = self.env["credit.policy.release"].with_user(self.controller).search(
            [("state", "in", ("blocked", "requested"))]
        )
        release = listed.filtered(lambda r: r.picking_id == picking)
        self.assertRecordValues(
            release,
            [
                {
                    "partner_id": self.customer.id,
                    "grade_id": grade.id,
                    "limit_amount": 1000.0,
                    "exposure_amount": 1200.0,
                    "available_amount": -200.0,
                    "overdue_amount": 300.0,
                    "oldest_overdue_days": 40,
                    "requested_by_id": self.warehouse_user.id,
                    "age_days": 0,
                    "state": "requested",
                }
            ],
        )
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            release.invalidate_recordset(["age_days"])
            self.assertEqual(release.age_days, 3)
        # The list view shows what credit staff need.
        arch = self.env["credit.policy.release"].with_user(self.controller).get_view(
            self.env.ref("credit_policy.credit_policy_release_view_list").id
        )["arch"]
        for name in (
            "partner_id", "grade_id", "limit_amount", "available_amount", "overdue_amount",
            "oldest_overdue_days", "dunning_stage", "requested_by_id", "age_days",
            "action_open_release_wizard", "action_open_reject_wizard",
        ):
            self.assertIn(f'name="{name}"', arch)

    def test_decided_release_cannot_be_deleted(self):
        picking = self._create_delivery(15)
        self._validate(picking)
        release = self._release(picking)
        with self.assertRaises(UserError):
            release.with_user(self.manager).unlink()

    def test_open_records_clear_when_no_longer_blocked(self):
        picking = self._create_delivery(15)
        wizard = self._assert_prompt(self._validate(picking))
        wizard.with_user(self.warehouse_user).action_request_release()
        release = picking.credit_release_ids
        # The customer's limit is raised: the delivery ships without a release.
        self.customer.credit_limit = 5000.0
        self.assertIs(self._validate(picking), True)
        self.assertEqual(release.state, "cleared")
        self.assertFalse(release.activity_ids)

    def test_check_ready_deliveries_fills_the_blocked_list(self):
        blocked, fine = self._create_delivery(15), self._create_delivery(2, partner=self.env["res.partner"].create({"name": "Cash Customer"}))
        with self.assertRaises(AccessError):
            self.env["credit.policy.release"].with_user(self.warehouse_user).action_check_ready_deliveries()
        self.env["credit.policy.release"].with_user(self.controller).action_check_ready_deliveries()
        self.assertEqual(blocked.credit_release_ids.state, "blocked")
        self.assertFalse(fine.credit_release_ids)
        self.assertEqual(blocked.state, "assigned", "checking validates nothing")
        # The list's default filter, as a credit controller without inventory rights.
        self.assertFalse(self.controller.has_group("stock.group_stock_user"))
        domain = [("state", "in", ("blocked", "requested")), ("picking_state", "not in", ("done", "cancel"))]
        listed = self.env["credit.policy.release"].with_user(self.controller).search(domain)
        self.assertIn(blocked.credit_release_ids, listed)
        self.assertTrue(listed.with_user(self.controller).read(["picking_id", "display_name", "partner_id"]))
        # The scheduled action does the same for every company, once per delivery.
        self.env["credit.policy.release"]._cron_check_ready_deliveries()
        self.assertEqual(len(blocked.credit_release_ids), 1)

    def test_releases_stay_in_their_company(self):
        picking = self._create_delivery(15)
        self._validate(picking)
        other_company = self.env["res.company"].create({"name": "Other Credit Company"})
        outsider = self.env["res.users"].create(
            {
                "name": "Other Controller",
                "login": "cp_dlv_other_controller",
                "company_id": other_company.id,
                "company_ids": [Command.set(other_company.ids)],
                "groups_id": [Command.set(self.env.ref("credit_policy.group_credit_policy_controller").ids)],
            }
        )
        self.assertFalse(self.env["credit.policy.release"].with_user(outsider).search([("picking_id", "=", picking.id)]))
        with self.assertRaises(AccessError):
            picking.credit_release_ids.with_user(outsider)._release("Not my company")
