from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CreditPolicyEvaluationLine(models.Model):
    """Points awarded for one criterion of the scoring sheet."""

    _name = "credit.policy.evaluation.line"
    _description = "Credit Evaluation Line"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "credit.policy.evaluation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    criterion_id = fields.Many2one(
        "credit.policy.criterion", required=True, ondelete="restrict", check_company=True
    )
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    role = fields.Selection(related="criterion_id.role", store=True)
    max_points = fields.Float(related="criterion_id.max_points")
    guidance = fields.Text(related="criterion_id.guidance")
    points = fields.Float()
    note = fields.Char(help="Facts behind the points.")

    _sql_constraints = [
        ("criterion_unique", "unique (evaluation_id, criterion_id)", "Each criterion is scored once per evaluation."),
    ]

    @api.constrains("points", "criterion_id")
    def _check_points(self):
        for line in self:
            if not 0 <= line.points <= line.criterion_id.max_points:
                raise ValidationError(
                    self.env._(
                        "%(criterion)s: points must be between 0 and %(max)s.",
                        criterion=line.criterion_id.name,
                        max=line.criterion_id.max_points,
                    )
                )

    def _raise_unless_draft(self):
        # The superuser may load historical evaluations (data import, demo).
        if self.env.su:
            return
        if any(line.evaluation_id.state != "draft" for line in self):
            raise UserError(self.env._("The scoring sheet can only be changed while the evaluation is a draft."))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._raise_unless_draft()
        lines.evaluation_id._credit_record_co_proposer()
        return lines

    def write(self, vals):
        self._raise_unless_draft()
        evaluations = self.evaluation_id
        res = super().write(vals)
        if "evaluation_id" in vals:
            # and the evaluation it moves to: a submitted sheet is what was approved
            self._raise_unless_draft()
        # whoever scores proposes (four eyes)
        (evaluations | self.evaluation_id)._credit_record_co_proposer()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._raise_unless_draft()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_criterion_row(self):
        # Every row is a criterion of the scoring sheet: an evaluator scores
        # it (0 points if need be) but does not drop it. Rows go with their
        # evaluation only (credit.policy.evaluation.unlink, as superuser).
        if not self.env.su:
            raise UserError(
                self.env._("A criterion of the scoring sheet cannot be removed: give it 0 points instead.")
            )
