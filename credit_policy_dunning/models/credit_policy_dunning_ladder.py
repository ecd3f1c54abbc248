from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.credit_policy.tools import audited_values, post_changes
from odoo.addons.credit_policy_dunning import policy


class CreditPolicyDunningLadder(models.Model):
    """A dunning ladder (催收流程, POLICY.md §5): the stages a customer climbs
    as its oldest invoice grows overdue. Each company has a default ladder;
    a grade or a customer may pick another one. Branches have none: their
    invoices climb the ladders of their root company."""

    _name = "credit.policy.dunning.ladder"
    _inherit = ["mail.thread"]
    _description = "Dunning Ladder"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company.root_id,
        domain=[("parent_id", "=", False)],
    )
    is_default = fields.Boolean(
        string="Default Ladder",
        help="Used for the customers of the company whose grade and record name no ladder.",
    )
    stage_ids = fields.One2many("credit.policy.dunning.stage", "ladder_id", string="Stages", copy=True)

    # What decides how customers are chased: each change is recorded on the
    # ladder's chatter, whatever the context of the call (tracking_disable is
    # a context key any client may send; an audit trail does not depend on it).
    _AUDITED_FIELDS = ("name", "is_default", "active", "company_id")

    def write(self, vals):
        before = audited_values(self, [name for name in self._AUDITED_FIELDS if name in vals])
        res = super().write(vals)
        for ladder, old in before.items():
            post_changes(ladder, ladder, self.env._("Ladder changed:"), old)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        # A grade or a customer chased by the ladder would fall back to the
        # default one unrecorded, and the ladder's trail would go with it.
        for ladder in self:
            grades = self.env["credit.policy.grade"].sudo().with_context(active_test=False).search_count(
                [("dunning_ladder_id", "=", ladder.id)]
            )
            # the customer's ladder is per company: the ladder's company's
            customers = (
                self.env["res.partner"].sudo().with_company(ladder.company_id).with_context(active_test=False)
                .search_count([("dunning_ladder_id", "=", ladder.id)])
            )
            if grades or customers:
                raise UserError(
                    self.env._(
                        "The dunning ladder %(ladder)s chases the customers of %(grades)s grade(s) and "
                        "%(customers)s customer(s): archive it instead, once they use another ladder.",
                        ladder=ladder.display_name,
                        grades=grades,
                        customers=customers,
                    )
                )

    @api.constrains("is_default", "company_id", "active")
    def _check_one_default(self):
        for ladder in self.filtered(lambda lad: lad.is_default and lad.active):
            others = self.search_count(
                [("company_id", "=", ladder.company_id.id), ("is_default", "=", True), ("id", "!=", ladder.id)]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has a default dunning ladder.", company=ladder.company_id.name
                    )
                )

    @api.constrains("company_id")
    def _check_company_is_an_area(self):
        self.company_id._dunning_check_area()

    @api.constrains("stage_ids")
    def _check_bands(self):
        for ladder in self:
            ladder.stage_ids._check_bands()

    def _stage_rules(self):
        """The ladder's stages as :class:`policy.StageRule`, keyed by stage id."""
        self.ensure_one()
        return [
            policy.StageRule(stage.id, stage.sequence, stage.days_from, stage.days_to)
            for stage in self.stage_ids
        ]

    @api.model
    def _default_for(self, company):
        return self.search([("company_id", "=", company.id), ("is_default", "=", True)], limit=1)
