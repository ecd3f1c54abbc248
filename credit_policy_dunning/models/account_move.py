from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

CONTROLLER = "credit_policy.group_credit_policy_controller"
DUNNING_EXCLUSION_FIELDS = ("dunning_excluded", "dunning_exclusion_reason")


class AccountMove(models.Model):
    """A disputed invoice is left out of dunning (POLICY.md §5), with the
    reason; only Credit Controllers set or lift the flag."""

    _inherit = "account.move"

    dunning_excluded = fields.Boolean(
        string="Disputed / Excluded from Dunning",
        copy=False,
        tracking=True,
        help="The dunning run leaves this invoice out (e.g. a disputed delivery). "
        "Only Credit Controllers set this flag.",
    )
    dunning_exclusion_reason = fields.Text(string="Reason for the Exclusion", copy=False, tracking=True)
    dunning_line_ids = fields.Many2many(
        "credit.policy.dunning.line",
        compute="_compute_dunning_line_ids",
        string="Dunning History",
        groups="credit_policy.group_credit_policy_controller",
    )

    def _compute_dunning_line_ids(self):
        lines = self.env["credit.policy.dunning.line"].search(
            [("move_line_ids.move_id", "in", self.ids)]
        )
        for move in self:
            move.dunning_line_ids = lines.filtered(lambda line, m=move: m in line.move_line_ids.move_id)

    @api.constrains("dunning_excluded", "dunning_exclusion_reason")
    def _check_dunning_exclusion_reason(self):
        for move in self:
            if move.dunning_excluded and not (move.dunning_exclusion_reason or "").strip():
                raise ValidationError(
                    self.env._("%(invoice)s: enter why it is excluded from dunning.", invoice=move.display_name)
                )

    def _dunning_may_exclude(self):
        """Whether the person behind this call may set or lift the flag.

        Judged on the real user, also under ``sudo()``: sale creates a
        salesperson's invoices as superuser, and that must not let him leave
        them out of dunning. Only the superuser itself (server jobs, data
        files) is trusted as such."""
        user = self.env.user
        return user._is_superuser() or user.has_group(CONTROLLER)

    def _dunning_check_exclusion_right(self):
        if not self._dunning_may_exclude():
            raise AccessError(
                self.env._("Only Credit Controllers may exclude an invoice from dunning or include it again.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        if self._dunning_may_exclude():
            return super().create(vals_list)
        if any(vals.get(name) for vals in vals_list for name in DUNNING_EXCLUSION_FIELDS):
            self._dunning_check_exclusion_right()
        # Neither a default_* context key nor a personal default (ir.default)
        # sets the flag: defaults fill only the fields left out.
        cleared = dict.fromkeys(DUNNING_EXCLUSION_FIELDS, False)
        moves = super().create([{**vals, **cleared} for vals in vals_list])
        # Judge what the ORM produced, whatever filled it.
        if any(move.dunning_excluded or move.dunning_exclusion_reason for move in moves):
            self._dunning_check_exclusion_right()
        return moves

    def write(self, vals):
        if any(name in vals for name in DUNNING_EXCLUSION_FIELDS):
            changing = self.filtered(
                lambda m: any(m[name] != vals[name] for name in DUNNING_EXCLUSION_FIELDS if name in vals)
            )
            if changing:
                self._dunning_check_exclusion_right()
        return super().write(vals)
