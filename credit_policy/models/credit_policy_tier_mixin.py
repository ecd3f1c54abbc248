from odoo import api, models

from .credit_policy_workflow_mixin import credit_trusted


class CreditPolicyTierMixin(models.AbstractModel):
    """Credit documents approved through OCA ``tier.validation`` (evaluations,
    temporary limits): the workflow guard, plus what the library leaves open.

    * Its checks can be switched off by context keys: a client's are dropped.
    * Its reviews are created by its own machinery only (``tier.review``
      refuses any other creation of a credit review).
    * It lets one reviewer approve every consecutive step he reviews in one
      click: here one person approves one step, and never his own request.
    """

    _name = "credit.policy.tier.mixin"
    _description = "Credit Approval Chain"
    # The guard first, so that it drops the bypass keys before the library reads them.
    _inherit = ["credit.policy.workflow.mixin", "tier.validation"]

    _credit_workflow_bypass_keys = ("skip_validation_check", "skip_check_state_condition")
    _credit_decision_depends = ("create_uid", "company_id", "review_ids.status", "review_ids.done_by")

    def _credit_earlier_deciders(self):
        return self.sudo().review_ids.filtered(lambda review: review.status == "approved").done_by

    def request_validation(self):
        # EXTENDS base_tier_validation: the reviews are the machinery's, built
        # from the tier definitions alone, for documents in a state asking for
        # them; a client's ``default_*`` and bypass keys have no say in them.
        context = {
            key: value for key, value in self.env.context.items()
            if not key.startswith("default_") and key not in self._credit_workflow_bypass_keys
        }
        return super(CreditPolicyTierMixin, credit_trusted(self.with_context(context))).request_validation()

    def _validate_tier(self, tiers=False):
        # EXTENDS base_tier_validation: the current user approves one step,
        # the first one open to him, and only if the four-eyes principle allows.
        if not self.env.su:
            open_reviews = self.review_ids.filtered(lambda review: review.status in ("waiting", "pending"))
            first_open = open_reviews.sorted("sequence")[:1]
            mine = (tiers or self.review_ids).filtered(
                lambda review: review in open_reviews
                and self.env.user in review.reviewer_ids
                and (not review.approve_sequence or review == first_open)
            )
            if not mine:
                # Not his turn (or not his step): steps handed in by a client
                # (e.g. a comment wizard naming a later step) are not approved.
                return None
            self._credit_raise_if_four_eyes_broken()
            tiers = mine.sorted("sequence")[:1]
        return super()._validate_tier(tiers)

    def _add_tier_validation_label(self, node, params):
        # EXTENDS base_tier_validation: its Validate button shows to every
        # reviewer of the pending step; _validate_tier refuses the requester
        # and whoever approved an earlier step (credit_can_decide says so).
        # Rejecting stays open to the reviewer.
        return self._credit_hide_buttons_unless(
            super()._add_tier_validation_label(node, params), "validate_tier", "credit_can_decide"
        )

    @api.model
    def _credit_hide_buttons_unless(self, node, button_name, flag):
        """Hide the library's ``button_name`` buttons of ``node`` (a view arch
        the tier library builds) from users for whom the boolean field
        ``flag`` is not set, on top of the library's own condition."""
        for button in node.xpath(f"//button[@name='{button_name}']"):
            condition = button.get("invisible")
            button.set("invisible", f"({condition}) or not {flag}" if condition else f"not {flag}")
        return node

    def _add_comment(self, validate_reject, reviews):
        # EXTENDS base_tier_validation: the opinion asked for belongs to the
        # step the user decides. The library passes only the steps already
        # "pending"; the first step of a chain may still be "waiting", and the
        # opinion typed for it would be lost. Give it the user's first open step.
        if not reviews:
            # Only the step whose turn it is (the chain runs in order).
            first_open = self.sudo().review_ids.filtered(
                lambda review: review.status in ("waiting", "pending")
            ).sorted("sequence")[:1]
            if self.env.user in first_open.reviewer_ids:
                reviews = first_open.with_env(self.env)
        return super()._add_comment(validate_reject, reviews)

    # base_tier_validation writes its chatter messages and the "Next:" line of
    # its approval label with its own translations, and has no Chinese: on
    # credit documents they are the credit policy's own, translatable texts.

    def _compute_next_review(self):
        # OVERRIDES base_tier_validation: same review, the credit policy's text.
        for rec in self:
            review = rec.review_ids.sorted("sequence").filtered(lambda r: r.status == "pending")[:1]
            rec.next_review = review and self.env._("Next: %(review)s", review=review.name or "")

    def _notify_created_review_body(self):
        # OVERRIDES base_tier_validation
        return self.env._("%(user)s submitted this document for approval.", user=self.env.user.name)

    def _notify_requested_review_body(self):
        # OVERRIDES base_tier_validation
        return self.env._("%(user)s asks for your approval.", user=self.env.user.name)

    def _notify_accepted_reviews_body(self):
        # OVERRIDES base_tier_validation
        user, comment = self.env.user.name, self._credit_decider_comment()
        if comment:
            return self.env._("Approval step approved by %(user)s. Opinion: %(comment)s", user=user, comment=comment)
        return self.env._("Approval step approved by %(user)s.", user=user)

    def _notify_rejected_review_body(self):
        # OVERRIDES base_tier_validation
        user, comment = self.env.user.name, self._credit_decider_comment()
        if comment:
            return self.env._("Approval step rejected by %(user)s. Opinion: %(comment)s", user=user, comment=comment)
        return self.env._("Approval step rejected by %(user)s.", user=user)

    def _notify_restarted_review_body(self):
        # OVERRIDES base_tier_validation
        return self.env._("%(user)s restarted the approval.", user=self.env.user.name)

    def _credit_decider_comment(self):
        """The opinion the current user gave on his step, as the library finds it."""
        reviews = self.review_ids.filtered(lambda r: self.env.user in r.reviewer_ids and r.comment)
        return reviews[:1].comment or ""
