from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import CreditExposureCommon, CreditGradingCommon, RpcMixin, form_button_invisible


@tagged("post_install", "-at_install")
class TestCreditWatchPrepayment(CreditExposureCommon):
    """A customer on watch pays the company's watch share of each order before
    delivery (POLICY.md §2, seed 004), or its grade's share when larger."""

    def _watch(self, partner=None, reason="Payments slowed down, purchasing head left"):
        (partner or self.customer)._credit_policy_set_watch(True, reason)

    def _delivery_result(self, order):
        return order.picking_ids._credit_policy_evaluate()[2]

    def test_watch_share_is_due_before_delivery(self):
        self.company.credit_check_mode = "block"
        self._watch()
        order = self._order(self.customer, 5, confirm=False)  # 500
        self.assertIn("prepayment of", order.credit_check_message)
        order.action_confirm()
        self.assertEqual(order.state, "sale", "the watch asks for a prepayment before delivery, not before confirming")
        result = self._delivery_result(order)
        self.assertEqual(result.failure_codes, ["prepayment"])
        self.assertEqual(result.figures["prepayment_due"], 150.0, "30 % of 500 by default")
        self.assertIn("required prepayment", result.message())
        # the delivery itself stops at the credit prompt
        picking = order.picking_ids
        picking.move_ids.quantity = 5
        picking.move_ids.picked = True
        action = picking.button_validate()
        self.assertIsInstance(action, dict)
        self.assertEqual(action.get("res_model"), "credit.policy.delivery.block.wizard")
        self._paid_down_payment(order, 150.0)
        self.assertFalse(self._delivery_result(order).blocked)

    def test_watch_share_is_the_company_setting(self):
        self._watch()
        order = self._order(self.customer, 5)
        self.company.credit_watch_prepayment_percent = 50.0
        self.assertEqual(self._delivery_result(order).figures["prepayment_due"], 250.0)
        self.company.credit_watch_prepayment_percent = 0.0
        self.assertFalse(self._delivery_result(order).blocked, "a 0 % share asks for nothing")

    def test_larger_of_grade_and_watch_share(self):
        self._watch()
        self.customer.credit_grade_id = self._prepayment_grade(50.0)
        order = self._order(self.customer, 5)
        self.assertEqual(self._delivery_result(order).figures["prepayment_due"], 250.0, "the grade asks for more")
        self.customer.credit_grade_id.prepayment_percent = 10.0
        self.assertEqual(self._delivery_result(order).figures["prepayment_due"], 150.0, "the watch asks for more")

    def test_no_share_off_watch(self):
        order = self._order(self.customer, 5)
        self.assertFalse(self._delivery_result(order).blocked)
        self._watch()
        self.assertTrue(self._delivery_result(order).blocked)
        self.customer._credit_policy_set_watch(False, "Paid everything, new purchasing head met")
        self.assertFalse(self._delivery_result(order).blocked)
        self.assertRecordValues(
            self.customer,
            [{"credit_watch": False, "credit_watch_reason": False, "credit_watch_user_id": False,
              "credit_watch_date": False}],
        )

    def test_group_head_on_watch_watches_its_members(self):
        member = self._member("Watched Group Member")
        self._watch(self.customer)
        order = self._order(member, 2)
        result = self._delivery_result(order)
        self.assertIn("prepayment", result.failure_codes)
        self.assertEqual(result.figures["prepayment_due"], 60.0)

    def test_watch_kept_per_company(self):
        self._watch()
        other = self.env["res.company"].create({"name": "Watch Elsewhere Ltd"})
        self.assertTrue(self.customer.with_company(self.company).credit_watch)
        self.assertFalse(self.customer.with_company(other).credit_watch)

    def test_reason_required_and_no_double_watch(self):
        with self.assertRaises(UserError):
            self.customer._credit_policy_set_watch(True, "  ")
        self._watch()
        self.assertRecordValues(
            self.customer,
            [{"credit_watch": True, "credit_watch_reason": "Payments slowed down, purchasing head left",
              "credit_watch_user_id": self.env.user.id}],
        )
        self.assertTrue(self.customer.credit_watch_date)
        with self.assertRaises(UserError):
            self._watch()

    def test_setting_between_0_and_100(self):
        self.assertEqual(
            self.env["res.company"].default_get(["credit_watch_prepayment_percent"]),
            {"credit_watch_prepayment_percent": 30.0},
        )
        for value in (-1.0, 100.5):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.company.credit_watch_prepayment_percent = value
        self.company.credit_watch_prepayment_percent = 100.0
        settings = self.env["credit.policy.settings"].with_company(self.company).create(
            {"credit_watch_prepayment_percent": 40.0}
        )
        self.assertEqual(settings.company_id, self.company)
        self.assertEqual(self.company.credit_watch_prepayment_percent, 40.0)


@tagged("post_install", "-at_install")
class TestCreditWatchAccessRpc(RpcMixin, CreditGradingCommon, HttpCase):
    """The credit department puts a customer on watch and lifts it; a
    salesperson sees the watch but lifts it by no way a script has."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(
            cls.env, "cpw_ctrl", groups="base.group_user,credit_policy.group_credit_policy_controller"
        )
        cls.employee = new_test_user(cls.env, "cpw_employee", groups="base.group_user")

    def _watch_by_rpc(self, user, reason, **context):
        wizard_id = self._call(
            user, "credit.policy.watch.wizard", "create", [{"partner_id": self.customer.id, "reason": reason}],
            {"context": context},
        )
        return self._call(user, "credit.policy.watch.wizard", "action_apply", [[wizard_id]])

    def _watched(self):
        self.customer.invalidate_recordset()
        return self.customer.with_company(self.company)

    def test_credit_staff_put_on_watch_and_lift_it_in_the_chatter(self):
        self._watch_by_rpc(self.controller, "Two payments promised and missed")
        customer = self._watched()
        self.assertRecordValues(
            customer,
            [{"credit_watch": True, "credit_watch_reason": "Two payments promised and missed",
              "credit_watch_user_id": self.controller.id}],
        )
        self.assertTrue(customer.credit_watch_date)
        self._watch_by_rpc(self.credit_manager, "Arrears settled")
        self.assertFalse(self._watched().credit_watch)
        messages = customer.message_ids
        tracked = messages.tracking_value_ids.filtered(lambda t: t.field_id.name == "credit_watch")
        self.assertEqual(len(tracked), 2, "putting on watch and lifting are tracked")
        bodies = "\n".join(messages.mapped("body"))
        self.assertIn("Two payments promised and missed", bodies)
        self.assertIn("Arrears settled", bodies)

    def test_salesperson_cannot_lift_the_watch(self):
        self._watch_by_rpc(self.controller, "Under doubt")
        refused = [
            ("res.partner", "write", [self.customer.ids, {"credit_watch": False}], {}),
            ("res.partner", "write", [self.customer.ids, {"credit_watch_reason": "All fine"}], {}),
            ("res.partner", "_credit_policy_set_watch", [self.customer.ids, False, "All fine"], {}),
            (
                "credit.policy.watch.wizard", "create", [{"partner_id": self.customer.id, "reason": "All fine"}],
                {"context": {"default_lift": True}},
            ),
        ]
        for model, method, args, kwargs in refused:
            with self.subTest(method=method, args=args), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(self.salesperson, model, method, args, kwargs)
        # The salesperson's own default does not lift it either: a customer's
        # company value falls back on the company's defaults, never a user's.
        self._set_personal_default(self.salesperson, "res.partner", "credit_watch", False)
        read = self._call(self.salesperson, "res.partner", "read", [self.customer.ids, ["credit_watch"]])
        self.assertTrue(read[0]["credit_watch"])
        self.assertTrue(self._watched().credit_watch)
        # Editing the customer otherwise still works.
        self._call(self.salesperson, "res.partner", "write", [self.customer.ids, {"phone": "555 0101"}])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesperson)._credit_policy_set_watch(False, "All fine")
        self.assertTrue(self._watched().credit_watch)

    def test_new_customer_starts_off_watch(self):
        for context, vals in (
            ({"default_credit_watch": True}, {}),
            ({}, {"credit_watch": True}),
            ({"default_credit_watch_reason": "Forged"}, {}),
        ):
            with self.subTest(context=context, vals=vals), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call(
                    self.salesperson, "res.partner", "create", [{"name": "Sneaky", "is_company": True, **vals}],
                    {"context": context},
                )
        self._set_personal_default(self.salesperson, "res.partner", "credit_watch", True)
        partner_id = self._call(self.salesperson, "res.partner", "create", [{"name": "Newcomer", "is_company": True}])
        self.assertFalse(self.env["res.partner"].browse(partner_id).with_company(self.company).credit_watch)

    def test_watch_readable_and_searchable_by_credit_users_only(self):
        self._watch_by_rpc(self.controller, "Under doubt")
        found = self._call(self.salesperson, "res.partner", "search", [[("credit_watch", "=", True)]])
        self.assertIn(self.customer.id, found)
        not_watched = self._call(self.salesperson, "res.partner", "search", [[("credit_watch", "=", False)]])
        self.assertNotIn(self.customer.id, not_watched)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(self.employee, "res.partner", "read", [self.customer.ids, ["credit_watch"]])
        arch = self.env["res.partner"].with_user(self.salesperson).get_views([(False, "search")])["views"]["search"]
        self.assertIn('name="credit_on_watch"', arch["arch"])

    def test_watch_buttons_for_credit_staff_only(self):
        self.assertEqual(
            form_button_invisible(self.customer, self.controller, "action_open_credit_watch_wizard"),
            ["credit_watch", "not credit_watch"],
        )
        self.assertFalse(form_button_invisible(self.customer, self.salesperson, "action_open_credit_watch_wizard"))
        action = self.customer.with_user(self.controller).action_open_credit_watch_wizard()
        wizard = self.env[action["res_model"]].with_user(self.controller).with_context(action["context"]).create(
            {"reason": "Owner in litigation"}
        )
        self.assertEqual(wizard.prepayment_percent, self.company.credit_watch_prepayment_percent)
        self.assertFalse(wizard.lift)
        wizard.action_apply()
        self.assertTrue(self._watched().credit_watch)
        self.assertEqual(self.customer.with_user(self.controller).action_open_credit_watch_wizard()["name"], "Lift Watch")
