from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.credit_policy import policy

#: Transaction key (``cr.precommit.data``): ids of the moves the hard guard
#: found adding nothing to their customer's exposure.
MOVES_ADDING_NOTHING = "credit_policy.moves_adding_nothing"


class StockPicking(models.Model):
    """Delivery block (POLICY.md §4: check at order entry, block at delivery).

    Validating a transfer evaluates the credit rules for each customer it ships
    goods to, move by move, whatever its operation type or header say
    (``stock.move._credit_policy_ships_to_customer``). Interactively (``button_validate``) a blocked delivery opens a
    prompt offering to request a release; every other path ends in the hard
    guard of ``stock.move._action_done``, which only a valid release opens.
    """

    _inherit = "stock.picking"

    credit_release_ids = fields.One2many(
        "credit.policy.release", "picking_id", string="Credit Releases", readonly=True
    )
    credit_release_state = fields.Selection(
        [
            ("blocked", "Blocked by Credit Policy"),
            ("requested", "Credit Release Requested"),
            ("released", "Credit Released"),
            ("rejected", "Credit Release Rejected"),
        ],
        string="Credit Block",
        compute="_compute_credit_release_state",
        search="_search_credit_release_state",
        help="Where the delivery stands with the credit department.",
    )
    credit_release_count = fields.Integer(compute="_compute_credit_release_state")
    credit_release_reason = fields.Text(
        string="Credit Decision Reason",
        compute="_compute_credit_release_state",
        help="Why the credit department released or rejected the delivery.",
    )

    @api.depends("credit_release_ids.state")
    def _compute_credit_release_state(self):
        for picking in self:
            releases = picking.sudo().credit_release_ids
            latest = releases.sorted("id", reverse=True)[:1]
            picking.credit_release_count = len(releases)
            picking.credit_release_state = (
                latest.state if latest.state in ("blocked", "requested", "released", "rejected") else False
            )
            picking.credit_release_reason = (
                latest.reason if latest.state in ("released", "rejected") else False
            )

    def _search_credit_release_state(self, operator, value):
        """Deliveries whose latest credit release is in the state(s) ``value``
        (the block a clerk meets when validating)."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on the credit block."))
        states = [value] if operator in ("=", "!=") else list(value or [])
        self.env["credit.policy.release"].flush_model(["picking_id", "state"])
        # Sudo-free SQL on the audit table: it returns only delivery ids, which
        # the search then filters with the user's own access rules.
        rows = self.env.execute_query(
            SQL(
                """
                SELECT r.picking_id
                  FROM credit_policy_release r
                 WHERE r.id IN (SELECT MAX(id) FROM credit_policy_release GROUP BY picking_id)
                   AND r.state IN %s
                """,
                tuple(s for s in states if s) or (None,),
            )
        )
        ids = [row[0] for row in rows]
        positive = operator in ("=", "in")
        if False in states or None in states:
            # "No credit block": deliveries without a block in those states.
            others = [s for s in ("blocked", "requested", "released", "rejected") if s not in states]
            return self._search_credit_release_state("not in" if positive else "in", others)
        return [("id", "in" if positive else "not in", ids)]

    def action_view_credit_releases(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Credit Releases"),
            "res_model": "credit.policy.release",
            "view_mode": "list,form",
            "domain": [("picking_id", "=", self.id)],
            "context": {"create": False},
        }

    def write(self, vals):
        # The goods of a transfer without order line are checked against the
        # credit of the transfer's order (stock.move._credit_policy_order):
        # nobody but the superuser hands the transfer to another order through
        # its procurement group (its order itself is guarded on the group).
        if self.env.su or "group_id" not in vals:
            return super().write(vals)
        before = {picking: picking.sale_id for picking in self.sudo() if picking.sale_id}
        res = super().write(vals)
        for picking, order in before.items():
            if picking.sale_id != order:
                raise UserError(
                    _(
                        "Transfer %(delivery)s belongs to order %(order)s and cannot be handed to another order.",
                        delivery=picking.name,
                        order=order.name,
                    )
                )
        return res

    def _action_done(self):
        res = super()._action_done()
        # Delivered quantities move from "open order" to "delivered, not
        # invoiced" and orders beyond the horizon start counting. The guard
        # valued what each move adds to its customer's exposure: goods within
        # what their order already counts add nothing, and leave the
        # customer's snapshot as it is (_credit_policy_snapshot_unchanged).
        status = self.env["credit.policy.status"]
        adding_nothing = self.env.cr.precommit.data.get(MOVES_ADDING_NOTHING, set())
        for picking in self:
            moves = picking.move_ids.filtered(lambda m: m.sale_line_id and m.id not in adding_nothing)
            status._mark_dirty(moves.sale_line_id.order_id.partner_invoice_id, picking.company_id)
            # Goods shipped without an order count as shipped, not invoiced,
            # until they come back.
            if any(
                not m.sale_line_id and m.state == "done"
                and (m._credit_policy_ships_to_customer() or m.location_id.usage == "customer")
                for m in picking.move_ids
            ):
                status._mark_dirty(picking.partner_id, picking.company_id)
        return res

    def action_cancel(self):
        res = super().action_cancel()
        # Nothing left to release: close the requests and the controllers' to-dos.
        self.credit_release_ids._clear(message=_("The delivery was cancelled."))
        return res

    def _pre_action_done_hook(self):
        # EXTENDS 'stock': after the core wizards (backorder …) have had their
        # say, prompt for the credit block. The prompt never validates; once a
        # release is granted, validating again passes.
        res = super()._pre_action_done_hook()
        if res is not True:
            return res
        releases = self._credit_policy_block_releases()
        if releases:
            return releases._action_open_block_prompt()
        return True

    # ------------------------------------------------------------------
    # Credit check
    # ------------------------------------------------------------------
    def _credit_policy_prefetch(self):
        """Read what the credit check reads of this transfer and the others
        read with it (its prefetch set: the blocked list's, the cron's), of
        their moves, the moves' locations, order lines and orders, in narrow
        queries, once: on a cold cache reading one field would fetch every
        column of each of them."""
        self.ensure_one()
        if self.env.cache.contains(self, self._fields["move_ids"]):
            return
        try:
            self.browse(self._prefetch_ids)._credit_policy_fetch()
        except AccessError:
            # another transfer of the set is not readable by this user
            self._credit_policy_fetch()

    def _credit_policy_fetch(self):
        self.fetch(["company_id", "name", "partner_id", "sale_id"])
        self.env["credit.policy.check"]._fetch_credit_settings(self.company_id)
        moves = self.move_ids
        moves.fetch(["location_dest_id", "location_id", "picked", "picking_id", "product_id", "product_uom",
                     "quantity", "sale_line_id", "state"])
        (moves.location_id | moves.location_dest_id).fetch(["usage"])
        lines = moves.sale_line_id
        lines.fetch(["currency_id", "order_id", "price_total", "product_uom", "product_uom_qty"])
        lines.order_id.fetch(["amount_total", "company_id", "credit_customer_id", "currency_id", "name",
                              "partner_invoice_id", "partner_shipping_id", "payment_term_id", "state"])

    def _credit_policy_moves(self, partner=None):
        """The moves validating now would ship to a customer: among the picked
        ones with a quantity, or, when none is picked yet, every one with a
        quantity (validation picks them all then), those shipping our goods to a
        customer; only those of ``partner`` (a commercial entity) when given."""
        self._credit_policy_prefetch()
        moves = self.move_ids.filtered(lambda m: m.state not in ("done", "cancel") and m.quantity > 0)
        moves = (moves.filtered("picked") or moves).filtered(lambda m: m._credit_policy_ships_to_customer())
        if partner is not None:
            moves = moves.filtered(lambda m: m._credit_policy_customer() == partner)
        return moves

    @api.model
    def _credit_policy_group_moves(self, moves):
        """``moves`` (shipping to a customer) grouped by credit account (the
        customer's credit group head, else the customer) and credit control
        area, then by delivery and customer: ``{(account, area): {(picking,
        customer): moves}}``, account and customer empty for moves that name
        no customer."""
        check = self.env["credit.policy.check"]
        groups = defaultdict(dict)
        for move in moves:
            picking = move.picking_id
            picking._credit_policy_check_customer(move)
            customer = move._credit_policy_customer()
            documents = groups[(check._get_credit_account(customer), check._credit_area(picking.company_id))]
            documents[(picking, customer)] = documents.get((picking, customer), moves.browse()) | move
        return groups

    def _credit_policy_check_customer(self, move):
        """Refuse this transfer when the order whose goods ``move`` ships is
        no longer invoiced to the customer it was confirmed for, or when the
        transfer's partner is neither that customer nor the order's delivery
        address (compared as commercial entities). The credit account charged
        is the order's; a transfer or an order naming someone else is either a
        mistake or an attempt to have the goods checked against another
        customer's credit."""
        order = move._credit_policy_order()
        if not self or not order:
            return
        customer = move._credit_policy_customer()
        if customer != order.partner_invoice_id.commercial_partner_id:
            raise UserError(
                _(
                    "Order %(order)s was confirmed for %(customer)s but is now invoiced to %(invoiced)s: its "
                    "deliveries cannot be validated. Have the order's invoice address put back, or cancel the "
                    "order and create one for the right customer.",
                    order=order.name,
                    customer=customer.display_name,
                    invoiced=order.partner_invoice_id.commercial_partner_id.display_name,
                )
            )
        partner = self.partner_id.commercial_partner_id
        if not partner or partner in customer | order.partner_shipping_id.commercial_partner_id:
            return
        raise UserError(
            _(
                "Transfer %(delivery)s is addressed to %(partner)s, but the goods it ships belong to "
                "order %(order)s of %(customer)s. Set the order's customer or delivery address on the "
                "transfer, then validate it again.",
                delivery=self.name,
                partner=partner.display_name,
                order=order.name,
                customer=customer.display_name,
            )
        )

    def _credit_policy_move_quantity(self, move):
        """Quantity ``move`` ships, in its order line's unit (the product's
        without an order line), for goods of the line's own product."""
        unit = move.sale_line_id.product_uom or move.product_id.uom_id
        return move.product_uom._compute_quantity(move.quantity, unit)

    def _credit_policy_line_quantities(self, moves, earlier_moves):
        """What ``moves`` (of order lines) ship of each order line's goods, in
        the line's unit, ``earlier_moves`` being shipped before them in the
        same validation: ``{line: (earlier, quantity)}``, ``earlier`` being
        what ``earlier_moves`` ship of the line.

        Here a line's goods are its own product. Extend for lines shipped as
        other products, whose quantity is not the sum of their moves' (a
        kit's components: ``credit_policy_mrp``)."""
        lines = moves.sale_line_id
        quantities = {line: [0.0, 0.0] for line in lines}
        for position, shipped in enumerate((earlier_moves, moves)):
            for move in shipped.filtered(lambda m: m.sale_line_id in lines):
                quantities[move.sale_line_id][position] += self._credit_policy_move_quantity(move)
        return {line: tuple(quantity) for line, quantity in quantities.items()}

    def _credit_policy_line_value(self, line, quantity):
        """Value, in company currency, of ``quantity`` (in the line's unit) of
        order ``line``'s goods: at the line's unit value, taxes included, as
        the exposure counts the line (:func:`policy.line_unit_value`)."""
        company = self.company_id
        return line.currency_id._convert(
            policy.line_unit_value(line.price_total, line.product_uom_qty) * quantity,
            company.currency_id,
            company,
            fields.Date.context_today(self),
        )

    def _credit_policy_goods_value(self, move, quantity):
        """Value, in company currency, of ``quantity`` (in the product's unit)
        of the goods ``move`` ships without an order line: what their invoice
        will claim, as the exposure counts them
        (``credit.policy.check._unordered_goods_value``)."""
        return self.env["credit.policy.check"]._unordered_goods_value(
            move.product_id, quantity, move._credit_policy_customer(), self.company_id
        )

    def _credit_policy_uncounted_quantities(self, line_quantities):
        """Of the goods of each order line shipped (``{line: (earlier,
        quantity)}``, :meth:`_credit_policy_line_quantities`), the quantity
        the exposure does not count yet, and the quantity beyond its order.

        Goods of an order line add to the exposure only beyond what it counts
        for the line already (``credit.policy.check._order_line_counted_quantities``,
        one query for all the lines): a delivery within the ordered quantity
        adds nothing, goods shipped beyond it or early add their value. Goods
        of an order not confirmed count in full, and are beyond any order.

        :return: ``{line: (uncounted, beyond its order)}``
        """
        lines = self.env["sale.order.line"].union(*line_quantities)
        counted = self.env["credit.policy.check"]._order_line_counted_quantities(lines, self.company_id)

        def beyond(before, quantity, base):
            return max(before + quantity - base, 0.0) - max(before - base, 0.0)

        quantities = {}
        for line, (earlier, quantity) in line_quantities.items():
            if line.id not in counted:
                quantities[line] = (quantity, quantity)
                continue
            delivered, counted_quantity, ordered = counted[line.id]
            before = delivered + earlier
            quantities[line] = (beyond(before, quantity, counted_quantity), beyond(before, quantity, ordered))
        return quantities

    def _credit_policy_evaluate_in_sequence(self, documents):
        """Evaluate the deliveries ``documents`` (``{(picking, customer):
        moves}``) of one credit account in one credit control area as
        validated one after the other, in the order of their ids: each counts
        what the ones before it add to the exposure (the account's, and its
        customer's own for a sub-limit in a credit group), and what their moves
        ship of the same order lines. The prompt and the hard guard judge a batch alike.

        :return: ``[(picking, customer, value, uncounted, result)]`` (see
            :meth:`_credit_policy_evaluate`)
        """
        earlier_amount = 0.0
        earlier_own = defaultdict(float)
        earlier_moves = self.env["stock.move"]
        evaluations = []
        for picking, customer in sorted(documents, key=lambda document: (document[0].id, document[1].id)):
            moves = documents[(picking, customer)]
            value, uncounted, result = picking._credit_policy_evaluate(
                moves, earlier=(earlier_amount, earlier_own[customer.id], earlier_moves), partner=customer
            )
            evaluations.append((picking, customer, value, uncounted, result))
            earlier_amount += uncounted
            earlier_own[customer.id] += uncounted
            earlier_moves |= moves
        return evaluations

    def _credit_policy_evaluate(self, moves=None, earlier=None, partner=None):
        """Evaluate the credit rules for what this delivery ships to ``partner``
        now (by default: the customer of its first move shipping to one).

        Each delivery's value is counted once: what its order already puts in
        the exposure is not added again, the rest is.
        ``moves`` are the moves of that customer being shipped (by default the
        ones validating now would ship). ``earlier`` is what the deliveries of
        the same credit account validated before this one in the same
        transaction ship (:meth:`_credit_policy_evaluate_in_sequence`): the
        value they add to the account's exposure, the part of it that is this
        customer's own, and their moves.

        :return: (value of the delivery, value not yet in the exposure,
            ``CreditCheckResult``)
        """
        self.ensure_one()
        if moves is None:
            moves = self._credit_policy_moves(partner)
        earlier_amount, earlier_own_amount, earlier_moves = earlier or (0.0, 0.0, self.env["stock.move"])
        # only the order lines this delivery ships matter to it
        lines = moves.sale_line_id
        earlier_moves = earlier_moves.filtered(lambda m: m.sale_line_id and m.sale_line_id in lines)
        if partner is None:
            partner = (
                moves[:1]._credit_policy_customer()
                if moves
                else (self.sale_id.partner_invoice_id or self.partner_id).commercial_partner_id
            )
        check = self.env["credit.policy.check"]
        # The prompt and the hard guard of one validation evaluate the same
        # moves: the guard reuses the prompt's values and evaluation while
        # nothing they read changed (see ``credit.policy.check._evaluate``).
        area = check._credit_area(self.company_id)
        fingerprint = check._figures_fingerprint()
        key = (
            "delivery", self.id, tuple(sorted(moves.ids)), earlier_amount, earlier_own_amount,
            tuple(sorted(earlier_moves.ids)), partner.id, self.env.lang,
        )
        value, uncounted, result = check._kept_or_computed(
            area, key, fingerprint,
            lambda: self._credit_policy_value_and_evaluate(
                moves, (earlier_amount, earlier_own_amount, earlier_moves), partner, fingerprint
            ),
        )
        return value, uncounted, check._copy_result(result)

    def _credit_policy_value_and_evaluate(self, moves, earlier, partner, fingerprint):
        """What :meth:`_credit_policy_evaluate` returns, computed."""
        company = self.company_id
        currency = company.currency_id
        earlier_amount, earlier_own_amount, earlier_moves = earlier
        ordered = moves.filtered("sale_line_id")
        line_quantities = self._credit_policy_line_quantities(ordered, earlier_moves)
        value = uncounted = beyond_orders = 0.0
        for line, (line_uncounted, line_beyond) in self._credit_policy_uncounted_quantities(line_quantities).items():
            value += self._credit_policy_line_value(line, line_quantities[line][1])
            if line_uncounted:
                uncounted += self._credit_policy_line_value(line, line_uncounted)
            if line_beyond:
                beyond_orders += self._credit_policy_line_value(line, line_beyond)
        # goods of no order line count in full, beyond any order
        for move in moves - ordered:
            goods = self._credit_policy_goods_value(move, self._credit_policy_move_quantity(move))
            value += goods
            uncounted += goods
            beyond_orders += goods
        # The document a customer without a limit is granted: the orders these
        # goods belong to, whole (each delivery of an order hands over part of
        # the credit the order commits), and goods beyond any order.
        today = fields.Date.context_today(self)
        orders = moves.sale_line_id.order_id.filtered(lambda order: order.state == "sale")
        document_value = beyond_orders + sum(
            order.currency_id._convert(order.amount_total, currency, company, today) for order in orders
        )
        result = self.env["credit.policy.check"]._evaluate(
            partner,
            company=self.company_id,
            amount=currency.round(uncounted),
            document_value=currency.round(document_value),
            earlier_amount=currency.round(earlier_amount),
            earlier_own_amount=currency.round(earlier_own_amount),
            # The prepayment due is that of the orders these moves ship, not
            # the transfer's header order (used only when nothing ships yet).
            order=moves.sale_line_id.order_id if moves else None,
            picking=self,
            fingerprint=fingerprint,
        )
        return currency.round(value), currency.round(uncounted), result

    def _credit_policy_block_releases(self):
        """For the deliveries in ``self`` that the credit rules block for a
        customer they ship to, and that no valid release opens, the open release
        records (created or refreshed with the current figures), one per
        delivery and customer. Releases that no longer hold lapse.

        Moves naming no customer are left to the guard, which refuses them."""
        Release = self.env["credit.policy.release"].sudo()
        blocked = Release
        moves = self.env["stock.move"].sudo().union(*(picking._credit_policy_moves() for picking in self.sudo()))
        for (account, _area), documents in self._credit_policy_group_moves(moves).items():
            if not account:
                continue
            for picking, partner, value, _uncounted, result in self._credit_policy_evaluate_in_sequence(documents):
                releases = picking.credit_release_ids.filtered(lambda r, p=partner: r.partner_id == p)
                ready_check = self.env.context.get("credit_policy_ready_check")
                if not result.blocked:
                    # A request made for a batch validated together stands: the
                    # ready check judges each delivery alone.
                    (releases.filtered(lambda r: r.state == "blocked") if ready_check else releases)._clear()
                    continue
                codes = result.failure_codes
                if releases.filtered(lambda r, v=value, c=codes: r._is_valid_for(v, c)):
                    continue
                if ready_check and releases.sorted("id")[-1:].state == "rejected":
                    # The credit department's refusal stands, with its reason,
                    # until the warehouse validates again.
                    continue
                # Sudo: the block is a fact the server records, whoever validates.
                releases.filtered(lambda r: r.state == "released").write({"state": "expired"})
                vals = Release._prepare_snapshot_vals(partner, picking.company_id, result, value)
                release = releases.filtered(lambda r: r.state in ("blocked", "requested"))[:1]
                if release:
                    release.write(vals)
                else:
                    release = Release.create(
                        dict(vals, picking_id=picking.id, partner_id=partner.id, company_id=picking.company_id.id)
                    )
                blocked |= release
        return blocked.with_env(self.env)

    def _credit_policy_guard(self, moves):
        """Refuse to complete ``moves`` when they ship goods to a customer whose
        credit rules block the delivery and no valid release opens it, or to
        no customer at all (nothing to check the credit of). Locks each
        customer's credit account first, so that concurrent validations for the
        same customer are checked one after the other."""
        # Sudo: the check reads receivables and releases the validating user
        # (a warehouse user) may not read; it decides, it does not disclose.
        moves = moves.sudo().filtered(lambda m: m._credit_policy_ships_to_customer())
        by_account = self._credit_policy_group_moves(moves)
        for (account, _area), documents in by_account.items():
            if not account:
                picking, _customer = next(iter(documents))
                raise UserError(picking._credit_policy_no_customer_message())
        Check = self.env["credit.policy.check"]
        # A fixed lock order keeps two batches for the same customers from deadlocking.
        keys = sorted(by_account, key=lambda key: (key[1].id, key[0].id))
        for account, area in keys:
            Check._lock_credit_account(account, area)
        adding_nothing = self.env.cr.precommit.data.setdefault(MOVES_ADDING_NOTHING, set())
        for key in keys:
            evaluations = self._credit_policy_evaluate_in_sequence(by_account[key])
            for picking, partner, value, uncounted, result in evaluations:
                # whether the customer's snapshot stays as it is (see _action_done)
                moves = by_account[key][(picking, partner)]
                adding_nothing.difference_update(moves.ids)
                if not uncounted:
                    adding_nothing.update(self._credit_policy_snapshot_unchanged(moves, key[1]).ids)
                releases = picking.credit_release_ids.filtered(lambda r, p=partner: r.partner_id == p)
                if not result.blocked:
                    releases._clear()
                    continue
                codes = result.failure_codes
                release = releases.filtered(lambda r, v=value, c=codes: r._is_valid_for(v, c))[:1]
                if not release:
                    raise UserError(picking._credit_policy_block_message(partner, result))
                release.write({"state": "used"})
                release.message_post(body=_("Delivery validated under this release."))

    @api.model
    def _credit_policy_snapshot_unchanged(self, moves, area):
        """Of ``moves``, which the guard found adding nothing to their
        customer's exposure in credit area ``area`` (its root company), those
        whose validation provably leaves every figure of the customer's status
        snapshot as it is: goods of their order line's own product (a kit's
        components count in kits), of an order in the area's currency (each
        exposure component is converted and rounded on its own) and without
        down payments (what is taken off for them depends on what was
        delivered)."""
        return moves.filtered(
            lambda move: move.sale_line_id
            and move.product_id == move.sale_line_id.product_id
            and move.sale_line_id.order_id.currency_id == area.currency_id
            and not move.sale_line_id.order_id.order_line.filtered("is_downpayment")
        )

    def _credit_policy_block_message(self, partner, result):
        self.ensure_one()
        return _(
            "Delivery %(delivery)s is blocked by the credit policy for %(customer)s:\n%(rules)s\n"
            "Validate it from the delivery form to request a release from the credit department.",
            delivery=self.name,
            customer=partner.display_name,
            rules="\n".join(f"- {failure.message}" for failure in result.failures),
        )

    def _credit_policy_no_customer_message(self):
        self.ensure_one()
        return _(
            "Transfer %(delivery)s ships goods to a customer location but names no customer, so it "
            "cannot be credit-checked. Set the customer on the transfer, then validate it again.",
            delivery=self.name,
        )
