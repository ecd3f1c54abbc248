from odoo import api, models
from odoo.exceptions import AccessError

# Credit documents whose approval grants money: their reviews are guarded.
CREDIT_TIER_MODELS = ("credit.policy.evaluation", "credit.policy.temporary.limit")
DECIDED_STATUSES = ("approved", "rejected")
# What ties a review to its document and its reviewers: never rewritten by hand.
REVIEW_BINDING_FIELDS = {"model", "res_id", "definition_id", "company_id", "reviewer_ids", "sequence"}


class TierReview(models.Model):
    """Closes base_tier_validation's open door on credit approvals.

    base_tier_validation lets every internal user create and write tier
    reviews, so a salesperson could approve their own credit application by
    RPC. For credit documents a review is decided only by one of its own
    reviewers, in their own name (the module's validate/reject buttons do
    exactly that); the library's own bookkeeping (waiting → pending → cancel,
    comments) is untouched.
    """

    _inherit = "tier.review"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("model") in CREDIT_TIER_MODELS and (
                    vals.get("status") in DECIDED_STATUSES or vals.get("done_by")
                ):
                    raise AccessError(self.env._("A credit approval cannot be created already decided."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.filtered(lambda review: review.model in CREDIT_TIER_MODELS)._check_credit_review_write(vals)
        return super().write(vals)

    def _check_credit_review_write(self, vals):
        if not self:
            return
        if REVIEW_BINDING_FIELDS & set(vals):
            raise AccessError(self.env._("The reviewers of a credit approval cannot be changed."))
        deciding = vals.get("status") in DECIDED_STATUSES or "done_by" in vals
        if deciding and (
            vals.get("done_by", self.env.uid) != self.env.uid
            or any(self.env.user not in review.reviewer_ids for review in self)
        ):
            raise AccessError(self.env._("Only its own reviewer may decide a credit approval step."))
