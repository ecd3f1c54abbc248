from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .credit_policy_workflow_mixin import is_credit_trusted

# Credit documents whose approval grants money: their reviews are guarded.
CREDIT_TIER_MODELS = ("credit.policy.evaluation", "credit.policy.temporary.limit")
DECIDED_STATUSES = ("approved", "rejected")
UNDECIDED_STATUSES = ("waiting", "pending")
# What ties a review to its document and its reviewers: never rewritten by hand.
REVIEW_BINDING_FIELDS = {"model", "res_id", "definition_id", "company_id", "reviewer_ids", "sequence"}
# A reviewer's decision and opinion: final once given.
REVIEW_DECISION_FIELDS = {"status", "done_by", "reviewed_date", "comment"}


class TierReview(models.Model):
    """Closes base_tier_validation's open door on credit approvals.

    base_tier_validation lets every internal user create, write and delete
    tier reviews, so a salesperson could approve their own credit application
    by RPC, or delete the steps still waiting and let the chain look complete.
    For credit documents a review is decided only by one of its own reviewers,
    in their own name (the module's validate/reject buttons do exactly that),
    and only the documents' own workflow (reset, cancel) removes reviews; the
    library's own bookkeeping (waiting → pending → cancel, comments) is
    untouched.
    """

    _inherit = "tier.review"

    # Need-to-know: the credit document of a review as a real relation, so
    # that the record rules (security/credit_policy_rules.xml) can open a
    # credit approval to the reviewers of its whole chain and to its requester.
    credit_evaluation_id = fields.Many2one(
        "credit.policy.evaluation",
        compute="_compute_credit_document",
        store=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    credit_temporary_limit_id = fields.Many2one(
        "credit.policy.temporary.limit",
        compute="_compute_credit_document",
        store=True,
        index="btree_not_null",
        ondelete="cascade",
    )

    @api.depends("model", "res_id")
    def _compute_credit_document(self):
        for review in self:
            review.credit_evaluation_id = review._credit_document("credit.policy.evaluation")
            review.credit_temporary_limit_id = review._credit_document("credit.policy.temporary.limit")

    def _credit_document(self, model):
        self.ensure_one()
        if self.model != model or not self.res_id:
            return self.env[model]
        return self.env[model].browse(self.res_id).exists()

    @api.depends("reviewer_ids")
    def _compute_todo_by(self):
        # EXTENDS base_tier_validation: who is to decide a credit step, in the
        # credit policy's translatable words (the library has no Chinese).
        credit = self.filtered(lambda review: review.model in CREDIT_TIER_MODELS)
        super(TierReview, self - credit)._compute_todo_by()
        shown = 3
        for review in credit:
            if review.reviewer_group_id:
                review.todo_by = self.env._("Group %(group)s", group=review.reviewer_group_id.name)
                continue
            names = ", ".join(review.reviewer_ids[:shown].mapped("display_name"))
            more = len(review.reviewer_ids) - shown
            review.todo_by = (
                self.env._("%(names)s and %(count)s more", names=names, count=more) if more > 0 else names
            )

    def _notify_review_reminder_body(self):
        # EXTENDS base_tier_validation
        if self.model not in CREDIT_TIER_MODELS:
            return super()._notify_review_reminder_body()
        days = (fields.Datetime.now() - self.create_date).days
        return self.env._("Your approval was asked for %(days)s days ago.", days=days)

    @api.model_create_multi
    def create(self, vals_list):
        definitions = self.env["tier.definition"].sudo().browse(
            {vals["definition_id"] for vals in vals_list if vals.get("definition_id")}
        )
        credit_definitions = definitions.filtered(lambda d: d.model in CREDIT_TIER_MODELS)
        credit_vals = [
            vals
            for vals in vals_list
            if vals.get("model") in CREDIT_TIER_MODELS or definitions.browse(vals.get("definition_id")) in credit_definitions
        ]
        if not credit_vals:
            return super().create(vals_list)
        if not is_credit_trusted(self.env):
            raise AccessError(self.env._("The steps of a credit approval are created by submitting the document."))
        for vals in credit_vals:
            if definitions.browse(vals.get("definition_id")).model != vals.get("model"):
                # A definition of another document would let a review of
                # a cheaper tier stand in for the one the policy requires.
                raise AccessError(
                    self.env._("A credit approval step must follow an approval tier of its own document.")
                )
            # Explicit initial values leave no room for personal defaults.
            vals.update(
                status=vals.get("status", "waiting"), done_by=False, reviewed_date=False, comment=False
            )
        reviews = super().create(vals_list)
        if any(
            review.status not in UNDECIDED_STATUSES or review.done_by
            for review in reviews.filtered(lambda r: r.model in CREDIT_TIER_MODELS)
        ):
            raise AccessError(self.env._("A credit approval cannot be created already decided."))
        return reviews

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        credit = self.filtered(lambda review: review.model in CREDIT_TIER_MODELS)
        vals = credit._check_credit_review_write(vals)
        res = super().write(vals)
        # Judged on the reviews as written: one of another document (e.g. an
        # approved review of a partner) moved into a credit approval chain
        # would stand in for a reviewer's decision.
        moved = self - credit
        if REVIEW_BINDING_FIELDS & set(vals) and (
            moved.filtered(lambda review: review.model in CREDIT_TIER_MODELS)
            or moved.sudo().definition_id.filtered(lambda definition: definition.model in CREDIT_TIER_MODELS)
        ):
            raise AccessError(self.env._("The steps of a credit approval are created by submitting the document."))
        return res

    def unlink(self):
        # Deleting the steps still waiting would make the chain look complete;
        # the credit documents remove their reviews themselves, as superuser,
        # when they are reset, cancelled or deleted.
        if not self.env.su and any(review.model in CREDIT_TIER_MODELS for review in self):
            raise AccessError(self.env._("The steps of a credit approval cannot be deleted."))
        return super().unlink()

    def _check_credit_review_write(self, vals):
        """Refuse what a client may not write on these credit reviews, and
        return the values to write: a decision is always recorded in the name
        of the user taking it, at that moment, whatever the client sent (an
        approval without its approver would escape the four-eyes rule)."""
        if not self:
            return vals
        if REVIEW_BINDING_FIELDS & set(vals):
            raise AccessError(self.env._("The reviewers of a credit approval cannot be changed."))
        if REVIEW_DECISION_FIELDS & set(vals) and any(review.status in DECIDED_STATUSES for review in self):
            raise AccessError(self.env._("A decided step of a credit approval cannot be changed."))
        if "comment" in vals and any(self.env.user not in review.reviewer_ids for review in self):
            raise AccessError(self.env._("Only its own reviewer gives the opinion of a credit approval step."))
        deciding = vals.get("status") in DECIDED_STATUSES or {"done_by", "reviewed_date"} & set(vals)
        if not deciding:
            return vals
        if vals.get("done_by", self.env.uid) != self.env.uid or any(
            self.env.user not in review.reviewer_ids for review in self
        ):
            raise AccessError(self.env._("Only its own reviewer may decide a credit approval step."))
        if vals.get("status") == "approved":
            for (model, res_id), reviews in self.grouped(lambda r: (r.model, r.res_id)).items():
                if len(reviews) > 1:
                    raise AccessError(self.env._("One person approves one step of a credit approval chain."))
                earlier = self.sudo().search(
                    [("model", "=", model), ("res_id", "=", res_id), ("sequence", "<", reviews.sequence),
                     ("status", "!=", "approved")]
                )
                if earlier:
                    raise AccessError(
                        self.env._(
                            "The steps of a credit approval are approved in their order: %(steps)s first.",
                            steps=", ".join(earlier.definition_id.mapped("name")),
                        )
                    )
                self.env[model].browse(res_id)._credit_raise_if_four_eyes_broken()
        return dict(vals, done_by=self.env.uid, reviewed_date=fields.Datetime.now())

    @api.model
    def _credit_missing_definitions(self, record):
        """The approval tiers that apply to the credit document ``record`` now
        and that none of its reviews has approved.

        The chain's status only looks at the reviews that exist: this re-reads
        the tier definitions, so a step that is missing, for whatever reason,
        still holds the approval back.
        """
        record.ensure_one()
        # Tier domains may read non-stored figures that other records move
        # (e.g. a temporary limit's cumulative amount): read them afresh.
        record.invalidate_recordset()
        definitions = (
            self.env["tier.definition"]
            .sudo()
            .search([("model", "=", record._name), ("company_id", "in", [False, record.company_id.id])])
        )
        approved = record.sudo().review_ids.filtered(lambda r: r.status == "approved").definition_id
        return definitions.filtered(lambda d: d not in approved and record.evaluate_tier(d))

    @api.model
    def _credit_request_missing_reviews(self, record):
        """Add a pending review at the end of the chain of the credit document
        ``record`` for each approval tier that applies now and has no approved
        review, and return the reviews added.

        Called once the existing reviews are all approved: a tier that started
        to apply since the request (another temporary limit approved meanwhile,
        a threshold lowered) then continues the chain instead of blocking the
        last reviewer's approval or being skipped.
        """
        missing = self._credit_missing_definitions(record)
        if not missing:
            return self.browse()
        sequence = max(record.sudo().review_ids.mapped("sequence"), default=0)
        # base_tier_validation asks the highest sequence first: keep the
        # definitions' own order among the added steps.
        reviews = self.sudo().create(
            [
                dict(record._prepare_tier_review_vals(definition, sequence + index), status="pending")
                for index, definition in enumerate(missing.sorted("sequence", reverse=True), start=1)
            ]
        )
        record._notify_review_requested(reviews)
        return reviews

    @api.model
    def _credit_raise_if_chain_incomplete(self, record):
        missing = self._credit_missing_definitions(record)
        if missing:
            raise UserError(
                self.env._(
                    "%(name)s cannot be approved yet: %(tiers)s must approve it first.",
                    name=record.display_name,
                    tiers=", ".join(missing.mapped("name")),
                )
            )
