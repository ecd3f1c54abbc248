from odoo import models

# Location usages of our own stock: goods leaving them for a customer location
# are shipped on credit. Goods coming from a vendor (dropship) or a customer
# (returns) are not ours to ship.
OWN_STOCK_USAGES = ("internal", "transit")


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

    def _credit_policy_ships_to_customer(self):
        """Whether this move ships our goods to a customer, whatever the
        operation type of its transfer: from our stock to a customer location
        (the move's destination or one of its detailed operations'). Point of
        sale deliveries are exempt: paid at the till, they grant no credit (and
        the point of sale would swallow a refusal, never taking the stock off).
        The point of sale is no dependency, hence the field test."""
        self.ensure_one()
        picking = self.picking_id
        if "pos_order_id" in picking._fields and picking.pos_order_id:
            return False
        if self.location_id.usage not in OWN_STOCK_USAGES:
            return False
        return self.location_dest_id.usage == "customer" or any(
            line.location_dest_id.usage == "customer" for line in self.move_line_ids
        )

    def _credit_policy_customer(self):
        """The commercial entity whose credit this move uses: the invoiced
        customer of its order line, else the transfer's partner. Empty when
        neither names one."""
        self.ensure_one()
        order = self.sale_line_id.order_id
        if order:
            return order.partner_invoice_id.commercial_partner_id
        return self.picking_id.partner_id.commercial_partner_id
