from odoo import api, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        # EXTENDS base_tier_validation: evaluations and temporary limits go through tiers.
        return super()._get_tier_validation_model_names() + [
            "credit.policy.evaluation",
            "credit.policy.temporary.limit",
        ]
