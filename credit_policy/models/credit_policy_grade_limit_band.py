from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import audited_values, post_changes, post_trail


class CreditPolicyGradeLimitBand(models.Model):
    """A band of average days-to-pay of a grade and the monthly limit factor it
    earns (seed 000: the shorter the average payment delay, the larger the
    monthly limit). The evaluation proposes factor x the customer's average
    monthly shipments and payments, whichever is smaller, and never more
    (seed 002): the factor lies between 0 and 1."""

    _name = "credit.policy.grade.limit.band"
    _description = "Credit Limit Band of a Grade"
    _order = "grade_id, open_ended, max_days_to_pay, id"

    grade_id = fields.Many2one("credit.policy.grade", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="grade_id.company_id", store=True, index=True)
    max_days_to_pay = fields.Integer(
        string="Max. Average Days-to-Pay",
        help="The band covers customers paying on average within this many days of the "
        "invoice date; 0: any delay (the last band).",
    )
    open_ended = fields.Boolean(compute="_compute_open_ended", store=True)
    factor = fields.Float(
        string="Monthly Limit Factor",
        digits=(16, 2),
        help="Proposed limit = this factor x the smaller of the customer's average monthly "
        "shipments and payments; between 0 and 1, since a limit never exceeds them (seed 002).",
    )

    #: The limit a grade proposes from facts: each change is on its table's trail.
    _AUDITED_FIELDS = ("max_days_to_pay", "factor")

    @api.depends("grade_id", "max_days_to_pay", "factor")
    def _compute_display_name(self):
        for band in self:
            band.display_name = self.env._(
                "%(grade)s, paying within %(days)s days: factor %(factor)s",
                grade=band.grade_id.code or "",
                days=band.max_days_to_pay or "∞",
                factor=band.factor,
            )

    @api.model_create_multi
    def create(self, vals_list):
        bands = super().create(vals_list)
        for band in bands:
            post_trail(band.grade_id.table_id, self.env._("Limit band %(band)s added.", band=band.display_name))
        return bands

    def write(self, vals):
        before = audited_values(self, [name for name in self._AUDITED_FIELDS if name in vals])
        res = super().write(vals)
        for band, old in before.items():
            post_changes(
                band.grade_id.table_id, band,
                self.env._("Limit band of grade %(grade)s changed:", grade=band.grade_id.code), old,
            )
        return res

    def unlink(self):
        for band in self:
            post_trail(band.grade_id.table_id, self.env._("Limit band %(band)s deleted.", band=band.display_name))
        return super().unlink()

    @api.depends("max_days_to_pay")
    def _compute_open_ended(self):
        for band in self:
            band.open_ended = not band.max_days_to_pay

    @api.constrains("max_days_to_pay", "factor")
    def _check_not_negative(self):
        for band in self:
            if band.max_days_to_pay < 0 or not 0 <= band.factor <= 1:
                raise ValidationError(
                    self.env._(
                        "Grade %(grade)s: the days-to-pay of a limit band cannot be negative, and its factor "
                        "lies between 0 and 1 (a limit never exceeds the customer's average monthly "
                        "shipments and payments).",
                        grade=band.grade_id.code,
                    )
                )

    def _band_rule(self):
        """The band as the pure rule sees it (policy.limit_band_factor)."""
        self.ensure_one()
        return (self.max_days_to_pay, self.factor)
