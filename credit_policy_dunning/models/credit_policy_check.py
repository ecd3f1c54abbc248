from odoo import api, fields, models

from odoo.addons.credit_policy import policy as core_policy
from odoo.addons.credit_policy_dunning import policy


class CreditPolicyCheck(models.AbstractModel):
    """The dunning ladder in the credit check (POLICY.md §4 and §5): the
    customer's dunning stage restricts or stops its deliveries and may block
    new orders, and seed 001's letter count becomes a rule."""

    _inherit = "credit.policy.check"

    @api.model
    def _get_figure_models(self):
        # EXTENDS 'credit_policy': the dunning figures and rules read these.
        return super()._get_figure_models() + [
            "credit.policy.dunning.ladder",
            "credit.policy.dunning.line",
            "credit.policy.dunning.stage",
        ]

    @api.model
    def _get_checked_partner_fields(self):
        # EXTENDS 'credit_policy'
        return super()._get_checked_partner_fields() + ["dunning_stage_id"]

    @api.model
    def _get_check_figures(self, partner, account, company):
        # EXTENDS 'credit_policy': the customer's dunning stage.
        figures = super()._get_check_figures(partner, account, company)
        stage = self._dunning_active_stage(partner, company)
        figures.update(dunning_stage=stage.name or False, dunning_stage_id=stage.id)
        return figures

    @api.model
    def _get_check_fact_queries(self, partner, account, company, orders, picking):
        # EXTENDS 'credit_policy': the customer's letter count, when a maximum
        # applies; an upper bound, counted exactly when it breaks the maximum
        # (see _read_check_facts).
        queries = super()._get_check_fact_queries(partner, account, company, orders, picking)
        if company.credit_dunning_max_letters > 0:
            queries["dunning_letter_count"] = self.env["credit.policy.dunning.engine"]._letter_count_sql(
                partner, company, exact=False
            )
        return queries

    @api.model
    def _read_check_facts(self, partner, account, company, orders, picking):
        # EXTENDS 'credit_policy': the exact letter count, for the few
        # customers whose upper bound breaks the maximum; the others spare
        # every check the planning of the netting.
        facts = super()._read_check_facts(partner, account, company, orders, picking)
        if policy.letters_exceeded(facts.get("dunning_letter_count", 0), company.credit_dunning_max_letters):
            engine = self.env["credit.policy.dunning.engine"]
            facts["dunning_letter_count"] = self.env.execute_query(engine._letter_count_sql(partner, company))[0][0]
        return facts

    @api.model
    def _dunning_active_stage(self, partner, company):
        """The stage whose effects apply to the customer now (see
        :func:`policy.active_stage`): its stage while it still has dunnable
        overdue items, capped at the stage of the oldest one's days. Paying
        (or disputing) the items that took it up lifts their effects at once,
        without waiting for the next run."""
        stage = partner.sudo().with_company(company).dunning_stage_id
        if not stage:
            return stage
        engine = self.env["credit.policy.dunning.engine"]
        commercial = partner.commercial_partner_id
        facts = engine._overdue_facts(company, fields.Date.context_today(self), partner)
        fact = facts.get(commercial.id)
        if not fact:
            return stage.browse()
        rules = stage.ladder_id._stage_rules()
        current = stage._rule()
        active = policy.active_stage(rules, fact["days"], current)
        if active is not None and active.key == current.key:
            return stage
        # Below the stage reached: only a broken promise's escalation keeps it.
        escalation = engine._escalations(company, commercial).get(commercial.id)
        holds = policy.escalation_holds(bool(escalation), escalation, fact["oldest_due"])
        active = policy.active_stage(rules, fact["days"], current, holds)
        return stage.browse(active.key if active else [])

    @api.model
    def _get_credit_rules(self):
        # EXTENDS 'credit_policy'
        return super()._get_credit_rules() + [
            self._rule_dunning_shipping,
            self._rule_dunning_new_orders,
            self._rule_dunning_letters,
        ]

    def _dunning_stage(self, data):
        return self.env["credit.policy.dunning.stage"].sudo().browse(data.figures.get("dunning_stage_id") or [])

    def _rule_dunning_shipping(self, data):
        """At delivery: a "restrict" stage needs a Credit Controller's release,
        a "stop" stage a Credit Manager's (the core reserves ``dunning_stop``)."""
        stage = self._dunning_stage(data)
        if not data.picking or not stage or stage.shipping_effect == policy.SHIPPING_NONE:
            return None
        if stage.shipping_effect == policy.SHIPPING_STOP:
            code = core_policy.DUNNING_STOP_CODE
            message = self.env._(
                "Shipping to %(partner)s is stopped by dunning (stage %(stage)s): only a Credit Manager "
                "may release this delivery.",
                partner=data.partner.display_name,
                stage=stage.name,
            )
        else:
            code = policy.DUNNING_RESTRICT_CODE
            message = self.env._(
                "Shipping to %(partner)s is restricted by dunning (stage %(stage)s): each delivery needs "
                "a Credit Controller's release.",
                partner=data.partner.display_name,
                stage=stage.name,
            )
        return core_policy.RuleFailure(code, message, {"dunning_stage": stage.name})

    def _rule_dunning_new_orders(self, data):
        """At order confirmation (no delivery): the stage blocks new orders."""
        stage = self._dunning_stage(data)
        if data.picking or not stage or not stage.block_new_orders:
            return None
        return core_policy.RuleFailure(
            policy.DUNNING_ORDERS_CODE,
            self.env._(
                "%(partner)s is at dunning stage %(stage)s: no new orders until the overdue invoices are paid.",
                partner=data.partner.display_name,
                stage=stage.name,
            ),
            {"dunning_stage": stage.name},
        )

    def _rule_dunning_letters(self, data):
        """Seed 001: the number of dunning letters may not exceed the company's maximum."""
        count = data.figures.get("dunning_letter_count", 0)
        max_letters = data.company.credit_dunning_max_letters
        if not policy.letters_exceeded(count, max_letters):
            return None
        return core_policy.RuleFailure(
            policy.DUNNING_LETTERS_CODE,
            self.env._(
                "%(partner)s received %(count)s dunning letters about invoices still open (at most %(max)s allowed).",
                partner=data.partner.display_name,
                count=count,
                max=max_letters,
            ),
            {"dunning_letter_count": count, "max_letters": max_letters},
        )
