from odoo import SUPERUSER_ID, models
from odoo.exceptions import UserError

# Location usages of our own stock: goods leaving them for a customer location
# are shipped on credit. Goods coming from a vendor (dropship) or a customer
# (returns) are not ours to ship.
OWN_STOCK_USAGES = ("internal", "transit")


class StockMove(models.Model):
    _inherit = "stock.move"

    def write(self, vals):
        # The credit account a delivery charges follows the move's order line:
        # nobody but the superuser re-points it to another order's line.
        if "sale_line_id" in vals and not self.env.su:
            self._credit_policy_check_sale_line_change(vals["sale_line_id"])
        return super().write(vals)

    def _credit_policy_check_sale_line_change(self, line_id):
        """Refuse to link these moves to the order line ``line_id`` when that
        would move them to another order than theirs: the one of their current
        line, or, for a move without a line, the order of its transfer (the
        sale stock module links the extra goods of a delivery to its order
        that way)."""
        line = self.env["sale.order.line"].browse(line_id).sudo()
        for move in self.sudo():
            if move.sale_line_id == line:
                continue
            current = move.sale_line_id.order_id or move.picking_id.sale_id
            if current and line.order_id != current:
                raise UserError(
                    self.env._(
                        "Stock move %(move)s belongs to order %(order)s: it cannot be moved to another "
                        "order's line, which would charge the delivery to another customer's credit.",
                        move=move.display_name,
                        order=current.name,
                    )
                )

    def _action_done(self, cancel_backorder=False):
        # EXTENDS 'stock': every way of validating a transfer (button, backorder
        # wizard, batch, server action, RPC) ends here, so the credit block's
        # hard guard lives here. No context key disarms it: only a valid
        # release record does. Goods leaving without a transfer (quant
        # relocation, scrap …) have nothing to release: they are refused.
        todo = self.filtered(lambda m: m.state not in ("done", "cancel") and m.picked and m.quantity > 0)
        todo.filtered(lambda m: not m.picking_id)._credit_policy_check_shipped_without_transfer()
        self.env["stock.picking"]._credit_policy_guard(todo.filtered("picking_id"))
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _action_cancel(self):
        res = super()._action_cancel()
        # Goods of an order line whose delivery is cancelled are no longer to
        # be delivered: the customer's open orders change.
        status = self.env["credit.policy.status"]
        for company in self.company_id:
            lines = self.filtered(lambda m, c=company: m.company_id == c).sale_line_id
            status._mark_dirty(lines.order_id.partner_invoice_id, company)
        return res

    def _credit_policy_check_shipped_without_transfer(self):
        """Refuse these moves without transfer if one ships our goods to a
        customer: a delivery on credit needs a delivery order, the only
        document the credit check and a release apply to. The superuser
        itself (Odoo's own jobs, installation) is trusted; an ordinary user
        acting through a sudo'ed flow is not."""
        if self.env.uid == SUPERUSER_ID:
            return
        for move in self.sudo():
            if move._credit_policy_ships_to_customer():
                raise UserError(
                    self.env._(
                        "%(product)s cannot be moved from %(origin)s to the customer location "
                        "%(destination)s outside a transfer: goods for a customer leave with a delivery "
                        "order, which checks the customer's credit. Create a delivery order instead.",
                        product=move.product_id.display_name,
                        origin=move.location_id.display_name,
                        destination=(
                            move.location_dest_id
                            if move.location_dest_id.usage == "customer"
                            else move.move_line_ids.location_dest_id.filtered(lambda loc: loc.usage == "customer")[:1]
                        ).display_name,
                    )
                )

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

    def _credit_policy_order(self):
        """The sale order whose customer this move ships to: the order of its
        line, else the order of its transfer (goods added to a delivery of an
        order are added to that order when it is validated)."""
        self.ensure_one()
        return self.sale_line_id.order_id or self.picking_id.sale_id

    def _credit_policy_customer(self):
        """The commercial entity whose credit this move uses: the credit
        account of its order (:meth:`_credit_policy_order`), i.e. its invoiced
        customer as recorded at confirmation, else the transfer's partner.
        Empty when neither names one.

        Every link of that chain is guarded against a user redirecting it once
        the order is confirmed: the move's order line (:meth:`write`), the
        line's order and the order's invoiced customer (``sale.order.line``,
        ``sale.order``), the transfer's order (``stock.picking``,
        ``procurement.group``). A transfer whose partner disagrees with its
        order, or an order whose invoiced customer is no longer the one it was
        confirmed for (a contact moved to another company …), is refused at
        validation (``stock.picking._credit_policy_check_customer``)."""
        self.ensure_one()
        order = self._credit_policy_order()
        if order:
            return order.credit_customer_id or order.partner_invoice_id.commercial_partner_id
        return self.picking_id.partner_id.commercial_partner_id
