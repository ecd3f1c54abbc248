from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        # Delivered quantities move from "open order" to "delivered, not
        # invoiced" and orders beyond the horizon start counting.
        status = self.env["credit.policy.status"]
        for picking in self.filtered("sale_id"):
            status._mark_dirty(picking.sale_id.partner_invoice_id, picking.company_id)
        return res
