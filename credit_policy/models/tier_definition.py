from odoo import api, fields, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    # Translatable, so that each reviewer reads the approval steps (the
    # "Next:" line, the reviews table) in his language.
    name = fields.Char(translate=True)

    @api.model
    def _get_tier_validation_model_names(self):
        # EXTENDS base_tier_validation: evaluations and temporary limits go through tiers.
        return super()._get_tier_validation_model_names() + [
            "credit.policy.evaluation",
            "credit.policy.temporary.limit",
        ]
