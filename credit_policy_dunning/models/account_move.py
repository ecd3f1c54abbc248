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

    def _dunning_check_exclusion_right(self):
        if not self.env.su and not self.env.user.has_group(CONTROLLER):
            raise AccessError(
                self.env._("Only Credit Controllers may exclude an invoice from dunning or include it again.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group(CONTROLLER):
            if any(vals.get(name) for vals in vals_list for name in DUNNING_EXCLUSION_FIELDS):
                self._dunning_check_exclusion_right()
            # Explicit values: no default_* key or personal default sets the flag.
            vals_list = [{**vals, "dunning_excluded": False, "dunning_exclusion_reason": False} for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if any(name in vals for name in DUNNING_EXCLUSION_FIELDS):
            changing = self.filtered(
                lambda m: any(m[name] != vals[name] for name in DUNNING_EXCLUSION_FIELDS if name in vals)
            )
            if changing:
                self._dunning_check_exclusion_right()
        return super().write(vals)
