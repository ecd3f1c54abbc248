from odoo import models
from odoo.exceptions import UserError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

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
        return super().write(vals)
