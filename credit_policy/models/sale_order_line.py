from odoo import api, models
from odoo.exceptions import UserError

# What a confirmed order line puts in the exposure is computed from these.
EXPOSURE_FIELDS = {"product_uom_qty", "product_uom", "price_unit", "discount", "tax_id", "customer_lead"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # A line added to a confirmed order adds to the exposure at once.
        lines.order_id.filtered(lambda order: order.state == "sale")._credit_mark_dirty()
        return lines

    def write(self, vals):
        # A delivery is checked against the credit of the invoiced customer of
        # its lines' order: nobody but the superuser moves a line to another
        # order. Odoo itself never does.
        if "order_id" in vals and not self.env.su:
            for line in self.sudo():
                if line.order_id.id != vals["order_id"]:
                    raise UserError(
                        self.env._(
                            "The line %(line)s belongs to order %(order)s and cannot be moved to another order.",
                            line=line.display_name,
                            order=line.order_id.name,
                        )
                    )
        res = super().write(vals)
        if EXPOSURE_FIELDS & vals.keys():
            # A confirmed order raised or lowered moves the exposure at once,
            # not at the nightly refresh.
            self.order_id.filtered(lambda order: order.state == "sale")._credit_mark_dirty()
        return res
