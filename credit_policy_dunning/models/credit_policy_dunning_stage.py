from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.credit_policy.tools import audited_values, post_changes, post_trail
from odoo.addons.credit_policy_dunning import policy


LINE_MODEL = "credit.policy.dunning.line"


class CreditPolicyDunningStage(models.Model):
    """One step of a dunning ladder: from how many days overdue it applies,
    what is done (phone call, letter, lawyer's letter, termination), through
    which channel, and what it does to shipping and new orders."""

    _name = "credit.policy.dunning.stage"
    _description = "Dunning Stage"
    _order = "ladder_id, sequence, id"
    _check_company_auto = True

    ladder_id = fields.Many2one(
        "credit.policy.dunning.ladder", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ladder_id.company_id", store=True, index=True)
    sequence = fields.Integer(required=True, default=1, help="Position in the ladder: 1 is the first stage.")
    name = fields.Char(required=True, translate=True)
    days_from = fields.Integer(string="From (days overdue)", required=True, default=1)
    days_to = fields.Integer(
        string="To (days overdue)",
        help="Last day of the band; 0 for the last stage: no upper end.",
    )
    action = fields.Selection(
        [
            (policy.ACTION_PHONE, "Phone Call by the Salesperson"),
            (policy.ACTION_LETTER, "Collection Letter"),
            (policy.ACTION_LAWYER, "Lawyer's Letter"),
            (policy.ACTION_TERMINATION, "Termination and Legal Action"),
        ],
        required=True,
        default=policy.ACTION_PHONE,
    )
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Letter",
        domain="[('model', '=', 'credit.policy.dunning.line')]",
        help="The letter sent at this stage (a QWeb report on the dunning line).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'credit.policy.dunning.line')]",
        help="Email carrying the letter as a PDF.",
    )
    channel = fields.Selection(
        [("email", "Email"), ("print", "Print"), ("both", "Email and Print")],
        default="both",
        required=True,
    )
    shipping_effect = fields.Selection(
        [
            (policy.SHIPPING_NONE, "None"),
            (policy.SHIPPING_RESTRICT, "Restrict: each delivery needs a Credit Controller's release"),
            (policy.SHIPPING_STOP, "Stop: only a Credit Manager may release a delivery"),
        ],
        default=policy.SHIPPING_NONE,
        required=True,
    )
    block_new_orders = fields.Boolean(string="Block New Orders")
    consequence = fields.Text(
        translate=True,
        help="What the letter tells the customer will happen (e.g. shipments will stop).",
    )

    _sql_constraints = [
        ("sequence_unique", "UNIQUE(ladder_id, sequence)", "Two stages of a ladder cannot share a position."),
    ]

    # What a stage does and when: each change is recorded on its ladder.
    _AUDITED_FIELDS = (
        "sequence", "name", "days_from", "days_to", "action", "report_id", "mail_template_id", "channel",
        "shipping_effect", "block_new_orders", "consequence",
    )

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        for stage in stages:
            post_trail(stage.ladder_id, self.env._("Stage %(stage)s added.", stage=stage.display_name))
        return stages

    def write(self, vals):
        before = {stage: stage.ladder_id for stage in self}
        old = audited_values(self, [name for name in self._AUDITED_FIELDS if name in vals])
        res = super().write(vals)
        for stage, values in old.items():
            title = self.env._("Stage %(stage)s changed:", stage=stage.display_name)
            post_changes(stage.ladder_id, stage, title, values)
            if before[stage] != stage.ladder_id:
                post_trail(
                    before[stage],
                    self.env._(
                        "Stage %(stage)s moved to the ladder %(ladder)s.",
                        stage=stage.display_name,
                        ladder=stage.ladder_id.display_name,
                    ),
                )
        return res

    def unlink(self):
        for stage in self:
            post_trail(stage.ladder_id, self.env._("Stage %(stage)s deleted.", stage=stage.display_name))
        return super().unlink()

    @api.constrains("days_from", "days_to", "sequence", "ladder_id")
    def _check_bands(self):
        for ladder in self.ladder_id:
            errors = policy.band_errors(ladder._stage_rules())
            if errors:
                key, problem = errors[0]
                raise ValidationError(self._band_error_message(self.browse(key).name, problem))

    @api.constrains("report_id", "mail_template_id")
    def _check_letter_model(self):
        # The letters are rendered as superuser: on anything but a dunning
        # action, a report or template would print any record to anyone.
        for stage in self:
            if stage.report_id and stage.report_id.sudo().model != LINE_MODEL:
                raise ValidationError(
                    self.env._("%(stage)s: the letter must be a report on dunning actions.", stage=stage.name)
                )
            if stage.mail_template_id and stage.mail_template_id.sudo().model != LINE_MODEL:
                raise ValidationError(
                    self.env._("%(stage)s: the email template must be one for dunning actions.", stage=stage.name)
                )

    def _band_error_message(self, stage, problem):
        if problem == "start":
            return self.env._("%(stage)s: a band starts at 1 day overdue or later.", stage=stage)
        if problem == "end":
            return self.env._("%(stage)s: a band cannot end before it starts.", stage=stage)
        if problem == "open":
            return self.env._("%(stage)s: only the last stage may have no upper end.", stage=stage)
        return self.env._(
            "%(stage)s: bands must follow each other in the ladder without overlapping.", stage=stage
        )

    @api.depends("name", "sequence")
    def _compute_display_name(self):
        for stage in self:
            stage.display_name = f"{stage.sequence}. {stage.name}" if stage.name else False

    def _rule(self):
        self.ensure_one()
        return policy.StageRule(self.id, self.sequence, self.days_from, self.days_to)
