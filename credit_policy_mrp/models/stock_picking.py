from odoo import models


class StockPicking(models.Model):
    """The delivery check (``credit_policy``) for order lines sold as kits.

    A kit's order line is shipped as its components' moves. What such a
    delivery ships of the line is the number of whole kits its components make
    together, as Odoo counts the line's delivered quantity (``sale_mrp``): the
    kits the order line will invoice. Component moves are neither converted
    into the kit's unit nor added up.
    """

    _inherit = "stock.picking"

    def _credit_policy_line_quantities(self, moves, earlier_moves):
        # EXTENDS 'credit_policy': kits shipped, not components
        kit_lines = moves.sale_line_id.filtered(lambda line: self._credit_policy_is_kit_line(line, moves))
        kit_moves = moves.filtered(lambda move: move.sale_line_id in kit_lines)
        quantities = super()._credit_policy_line_quantities(moves - kit_moves, earlier_moves)
        for line in kit_lines:
            bom = self._credit_policy_kit_bom(line)
            delivered = line.move_ids.filtered(lambda move: move.state == "done" and not move.scrapped)
            before = delivered | earlier_moves.filtered(lambda move: move.sale_line_id == line)
            after = before | kit_moves.filtered(lambda move: move.sale_line_id == line)
            kits_delivered, kits_before, kits_after = (
                self._credit_policy_kits_shipped(line, bom, shipped) for shipped in (delivered, before, after)
            )
            quantities[line] = (kits_before - kits_delivered, kits_after - kits_before)
        return quantities

    def _credit_policy_is_kit_line(self, line, moves):
        """Whether ``moves`` ship order ``line``'s goods as a kit's components."""
        return bool(moves.filtered(lambda move: move.sale_line_id == line).bom_line_id)

    def _credit_policy_kits_shipped(self, line, bom, moves):
        """Kits of order ``line`` that ``moves`` (of its components) ship, in
        the line's unit, the way Odoo counts the line's delivered kits: whole
        kits of ``bom`` (:meth:`_credit_policy_kit_bom`), as many as the least
        shipped component makes; a line whose kit is made of other kits (no
        ``bom``) only when all its moves are shipped."""
        if not bom:
            all_shipped = all(
                move in moves and move.location_dest_id.usage == "customer"
                for move in line.move_ids.filtered(lambda move: move.state != "cancel")
            )
            return line.product_uom_qty if all_shipped else 0.0
        ordered = line.product_uom._compute_quantity(line.product_uom_qty, bom.product_uom_id)
        kits = moves._compute_kit_quantities(
            line.product_id,
            ordered,
            bom,
            {
                # seen from the order: goods going out are delivered, returns to refund come back
                "incoming_moves": lambda move: move._is_outgoing()
                and (not move.origin_returned_move_id or move.to_refund),
                "outgoing_moves": lambda move: move._is_incoming() and move.to_refund,
            },
        )
        return bom.product_uom_id._compute_quantity(kits, line.product_uom)

    def _credit_policy_kit_bom(self, line):
        """The kit bill of materials order ``line``'s product was shipped by."""
        product = line.product_id
        boms = line.move_ids.filtered(lambda move: move.state != "cancel").bom_line_id.bom_id
        bom = boms.filtered(
            lambda bom: bom.type == "phantom"
            and (bom.product_id == product or (not bom.product_id and bom.product_tmpl_id == product.product_tmpl_id))
        )[:1]
        if not bom:
            bom = boms._bom_find(product, company_id=line.company_id.id, bom_type="phantom")[product]
        return bom
