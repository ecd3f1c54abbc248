from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        # EXTENDS 'stock': every way of validating a transfer (button, backorder
        # wizard, batch, server action, RPC) ends here, so the credit block's
        # hard guard lives here. No context key disarms it: only a valid
        # release record does.
        self.env["stock.picking"]._credit_policy_guard(
            self.filtered(lambda m: m.picking_id and m.state not in ("done", "cancel") and m.picked and m.quantity > 0)
        )
        return super()._action_done(cancel_backorder=cancel_backorder)
