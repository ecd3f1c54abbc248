from odoo import models
from odoo.exceptions import UserError


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    def write(self, vals):
        # The goods a transfer adds to an order are checked against the credit
        # of that order's customer (stock.move._credit_policy_order): nobody
        # but the superuser hands a group's transfers to another order.
        if "sale_id" in vals and not self.env.su:
            for group in self.sudo():
                if group.sale_id and group.sale_id.id != vals["sale_id"]:
                    raise UserError(
                        self.env._(
                            "The transfers of %(group)s belong to order %(order)s and cannot be handed to "
                            "another order.",
                            group=group.name,
                            order=group.sale_id.name,
                        )
                    )
        return super().write(vals)
