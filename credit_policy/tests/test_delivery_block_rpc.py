from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CreditPolicyDeliveryMixin


@tagged("post_install", "-at_install")
class TestDeliveryBlockRpc(CreditPolicyDeliveryMixin, HttpCase):
    """What a warehouse user or a salesperson can do over JSON-RPC, as a
    script would: nothing that releases or ships a blocked delivery."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_rpc_cannot_release_or_bypass(self):
        picking = self._create_delivery(15)
        self._validate(picking)
        release = picking.credit_release_ids
        bypass = {"skip_backorder": True, "skip_sanity_check": True, "skip_credit_check": True, "bypass_risk": True}
        for user in (self.warehouse_user, self.salesman):
            self.authenticate(user.login, user.login)
            action = self._call("stock.picking", "button_validate", [picking.ids], {"context": bypass})
            self.assertEqual(action["res_model"], "credit.policy.delivery.block.wizard")
            refused = [
                ("credit.policy.release", "write", [release.ids, {"state": "released", "reason": "script"}]),
                ("credit.policy.release", "_release", [release.ids, "script"]),
                (
                    "credit.policy.release",
                    "create",
                    [{"picking_id": picking.id, "partner_id": self.customer.id, "state": "released"}],
                ),
                ("credit.policy.release.wizard", "create", [{"release_ids": release.ids, "reason": "script"}]),
                ("credit.policy.release", "action_check_ready_deliveries", [release.ids]),
                ("stock.picking", "_action_done", [picking.ids]),
                ("stock.move", "_action_done", [picking.move_ids.ids]),
            ]
            for model, method, args in refused:
                with self.subTest(user=user.login, method=method), self.assertRaisesRegex(
                    JsonRpcException, "AccessError"
                ):
                    self._call(model, method, args)
        release.invalidate_recordset()
        picking.invalidate_recordset()
        self.assertEqual(release.state, "blocked")
        self.assertEqual(picking.state, "assigned")
