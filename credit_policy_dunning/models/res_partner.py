from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import credit_trusted, is_credit_trusted

CREDIT_USER = "credit_policy.group_credit_policy_user"
CONTROLLER = "credit_policy.group_credit_policy_controller"
MANAGER = "credit_policy.group_credit_policy_manager"
#: Set by the dunning process only: the runs, and the recording of a promise.
DUNNING_RUN_FIELDS = (
    "dunning_stage_id",
    "dunning_stage_date",
    "dunning_next_action_date",
    "dunning_promise_base_amount",
    "dunning_promise_recorded_date",
)
#: A customer's promise to pay, recorded by Credit Controllers.
DUNNING_PROMISE_FIELDS = ("dunning_promise_amount", "dunning_promise_date", "dunning_promise_note")


class ResPartner(models.Model):
    """The customer's place on the dunning ladder, per credit control area
    (a root company, its branches included; POLICY.md §5), and its promise to
    pay (付款承诺)."""

    _inherit = "res.partner"

    dunning_ladder_id = fields.Many2one(
        "credit.policy.dunning.ladder",
        string="Dunning Ladder",
        company_dependent=True,
        groups=CREDIT_USER,
        help="Empty: the ladder of the customer's grade, else the company's default ladder.",
    )
    dunning_stage_id = fields.Many2one(
        "credit.policy.dunning.stage",
        string="Dunning Stage",
        company_dependent=True,
        groups=CREDIT_USER,
        help="Stage reached by the last dunning run; lifted when the customer pays its overdue invoices.",
    )
    dunning_stage_date = fields.Date(string="Stage Reached On", company_dependent=True, groups=CREDIT_USER)
    dunning_next_action_date = fields.Date(
        string="Next Dunning Action",
        company_dependent=True,
        groups=CREDIT_USER,
        help="When the oldest overdue invoice reaches the next stage's band.",
    )
    dunning_promise_amount = fields.Float(
        string="Promised Amount",
        company_dependent=True,
        groups=CREDIT_USER,
        help="Amount the customer promised to pay by the promised date: escalation pauses until "
        "then and resumes at once, one stage up, if the payment does not come.",
    )
    dunning_promise_date = fields.Date(string="Promised Payment Date", company_dependent=True, groups=CREDIT_USER)
    dunning_promise_note = fields.Char(string="Promise Note", company_dependent=True, groups=CREDIT_USER)
    dunning_promise_base_amount = fields.Float(
        string="Overdue When Promised", company_dependent=True, groups=CREDIT_USER
    )
    # The promise is about the items overdue on this date, not those falling due since.
    dunning_promise_recorded_date = fields.Date(
        string="Promise Recorded On", company_dependent=True, groups=CREDIT_USER
    )
    dunning_line_count = fields.Integer(compute="_compute_dunning_line_count", groups=CREDIT_USER)

    def _compute_dunning_line_count(self):
        rows = self.env["credit.policy.dunning.line"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids), ("state", "=", "done")],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in rows}
        for partner in self:
            partner.dunning_line_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.constrains("dunning_promise_amount")
    def _check_dunning_promise_amount(self):
        for partner in self:
            if partner.sudo().dunning_promise_amount < 0:
                raise ValidationError(self.env._("A promised amount cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        if not is_credit_trusted(self.env):
            guarded = DUNNING_RUN_FIELDS + DUNNING_PROMISE_FIELDS + ("dunning_ladder_id",)
            if any(vals.get(name) for vals in vals_list for name in guarded):
                raise AccessError(self.env._("Dunning data is set on the customer's form, after its creation."))
            # Explicit values: no default_* key or personal default sets them.
            vals_list = [{**vals, **dict.fromkeys(guarded, False)} for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if not is_credit_trusted(self.env):
            if any(name in vals for name in DUNNING_RUN_FIELDS):
                raise AccessError(self.env._("Only the dunning runs move a customer on the dunning ladder."))
            if "dunning_ladder_id" in vals and not self.env.user.has_group(MANAGER):
                raise AccessError(self.env._("Only a Credit Manager may choose a customer's dunning ladder."))
            if any(name in vals for name in DUNNING_PROMISE_FIELDS):
                return self._dunning_record_promise(vals)
        return super().write(vals)

    def _dunning_record_promise(self, vals):
        """Record a promise to pay (Credit Controllers only), in the credit
        control area of the current company, with the overdue amount and the
        date at that moment to tell later whether it was kept."""
        if not self.env.user.has_group(CONTROLLER):
            raise AccessError(self.env._("Only Credit Controllers record a customer's promise to pay."))
        other = {key: value for key, value in vals.items() if key not in DUNNING_PROMISE_FIELDS}
        if other:
            super().write(other)
        promise = {key: value for key, value in vals.items() if key in DUNNING_PROMISE_FIELDS}
        engine = self.env["credit.policy.dunning.engine"]
        company = self.env["credit.policy.check"]._credit_area(self.env.company)
        today = fields.Date.context_today(self)
        for partner in self.commercial_partner_id.sudo():
            facts = engine._overdue_facts(company, today, partner)
            overdue = facts[partner.id]["amount"] if partner.id in facts else 0.0
            partner.with_company(company).write(
                dict(promise, dunning_promise_base_amount=overdue, dunning_promise_recorded_date=today)
            )
            if promise.get("dunning_promise_date"):
                partner.message_post(
                    body=self.env._(
                        "Promise to pay %(amount)s by %(date)s recorded by %(user)s.",
                        amount=company.currency_id.format(partner.with_company(company).dunning_promise_amount),
                        date=partner.with_company(company).dunning_promise_date,
                        user=self.env.user.name,
                    )
                )
        return True

    @api.model
    def _dunning_promise_cleared(self):
        return dict.fromkeys(
            DUNNING_PROMISE_FIELDS + ("dunning_promise_base_amount", "dunning_promise_recorded_date"), False
        )

    def _dunning_close_promise(self, outcome):
        """Close the customer's promise to pay, ``kept`` or ``broken``."""
        self.ensure_one()
        credit_trusted(self.sudo()).write(self._dunning_promise_cleared())
        if outcome == "kept":
            body = self.env._("Promise to pay kept.")
        else:
            body = self.env._("Promise to pay broken.")
        self.sudo().message_post(body=body)

    def _dunning_ladder(self, company, default=None):
        """The ladder this customer climbs in ``company``: its own, its grade's
        or the company's default (``default``, when the caller has it)."""
        self.ensure_one()
        partner = self.sudo().with_company(company)
        ladder = partner.dunning_ladder_id or partner.credit_grade_id.dunning_ladder_id
        if ladder and ladder.company_id == company and ladder.active:
            return ladder
        if default is None:
            default = self.env["credit.policy.dunning.ladder"].sudo()._default_for(company)
        return default

    def action_view_dunning_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_policy_dunning.credit_policy_dunning_line_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
