from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .stock_move import OWN_STOCK_USAGES

#: Fields of a done detailed operation whose change moves stock again.
STOCK_FIELDS = ("quantity", "product_uom_id", "product_id", "location_id", "location_dest_id")


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Odoo lets an unlocked done transfer be edited, moving the stock again
    # outside stock.move._action_done and thus outside the credit guard:
    # goods shipped to a customer that way after validation are refused.

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if self.env.uid != SUPERUSER_ID:
            lines._credit_policy_check_shipped_after_done(dict.fromkeys(lines.ids, 0.0))
        return lines

    def write(self, vals):
        if self.env.uid == SUPERUSER_ID or not any(name in vals for name in STOCK_FIELDS):
            return super().write(vals)
        before = {line.id: line._credit_policy_done_shipped_qty() for line in self.sudo()}
        res = super().write(vals)
        self._credit_policy_check_shipped_after_done(before)
        return res

    def _credit_policy_done_shipped_qty(self):
        """What this detailed operation of a done move ships of our goods to
        a customer, in the product's unit (0 when nothing)."""
        self.ensure_one()
        if self.move_id.state != "done" or self.location_id.usage not in OWN_STOCK_USAGES:
            return 0.0
        if self.location_dest_id.usage != "customer":
            return 0.0
        picking = self.picking_id
        if "pos_order_id" in picking._fields and picking.pos_order_id:
            return 0.0
        return self.quantity_product_uom

    def _credit_policy_check_shipped_after_done(self, before):
        """Refuse when one of these lines now ships more of our goods to a
        customer than ``before`` (``{line id: quantity}``) after its move was
        done: such goods never pass the credit check."""
        for line in self.sudo():
            shipped = line._credit_policy_done_shipped_qty()
            rounding = line.product_id.uom_id.rounding
            if float_compare(shipped, before.get(line.id, 0.0), precision_rounding=rounding) > 0:
                raise UserError(
                    self.env._(
                        "%(reference)s is done: it cannot ship more %(product)s to a customer after the fact, "
                        "as goods shipped that way skip the credit check. Ship them with a new delivery order.",
                        reference=line.reference or line.move_id.display_name,
                        product=line.product_id.display_name,
                    )
                )
