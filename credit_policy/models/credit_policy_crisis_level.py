from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.credit_policy import policy

CRISIS_LEVELS = [
    ("0", "None"),
    ("1", "1 - Restrict Shipping"),
    ("2", "2 - Manager Approval"),
    ("3", "3 - Stop Shipping"),
]
CREDIT_MANAGER = "credit_policy.group_credit_policy_manager"


class CreditPolicyCrisisLevel(models.Model):
    """The crisis response level of a customer in a credit control area (POLICY.md
    §5, seed 000 H): a snapshot set by the server only, from the customer's
    active crisis signals and the Credit Manager's "prepare litigation" flag
    (:func:`policy.crisis_level`).

    Every change is logged in the customer's chatter, schedules the response's
    activities and opens (or joins) the event re-evaluation due within 48 hours
    (seed 004). Nobody writes it by hand: there is no create or write right on
    it, the server writes it as superuser.
    """

    _name = "credit.policy.crisis.level"
    _description = "Credit Crisis Response Level"
    _order = "level desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    level = fields.Selection(CRISIS_LEVELS, required=True, default="0")
    litigation = fields.Boolean(
        string="Prepare Litigation", help="Set by a Credit Manager: shipping stops, new orders are blocked."
    )
    changed_at = fields.Datetime(string="Level Since")

    _sql_constraints = [
        ("partner_company_unique", "unique(partner_id, company_id)", "One crisis level per customer and company."),
    ]

    @api.model
    def _highest_level_sql(self, partners, company):
        """Scalar SQL query of the highest level of ``partners`` in
        ``company``'s credit control area, 0 without any (a fact of the
        credit check)."""
        query = self.sudo()._search(self._credit_level_domain(partners, company))
        return query.select(SQL("COALESCE(MAX(%s::int), 0)", SQL.identifier(self._table, "level")))

    @api.model
    def _credit_level_domain(self, partners, company):
        """The level records of ``partners`` in ``company``'s credit control area."""
        company = self.env["credit.policy.check"]._credit_area(company)
        return [("partner_id", "in", partners.ids), ("company_id", "=", company.id)]

    @api.model
    def _credit_update(self, pairs):
        """Recompute the level of each ``(partner, company)`` pair from its
        active signals; log and act on every change."""
        if not pairs:
            return
        Check = self.env["credit.policy.check"]
        by_company = defaultdict(set)
        for partner, company in pairs:
            by_company[Check._credit_area(company)].add(partner.commercial_partner_id.id)
        Level = self.sudo()
        for company, partner_ids in by_company.items():
            partners = self.env["res.partner"].sudo().browse(sorted(partner_ids))
            rows = self.env["credit.policy.crisis.signal"].sudo()._read_group(
                [("partner_id", "in", partners.ids), ("company_id", "=", company.id)],
                ["partner_id", "kind"],
            )
            kinds = defaultdict(set)
            for partner, kind in rows:
                kinds[partner.id].add(kind)
            current = {
                record.partner_id.id: record
                for record in Level.search([("partner_id", "in", partners.ids), ("company_id", "=", company.id)])
            }
            for partner in partners:
                record = current.get(partner.id)
                old = int(record.level) if record else 0
                new = policy.crisis_level(kinds[partner.id], record.litigation if record else False)
                if new == old:
                    continue
                if record:
                    record.write({"level": str(new), "changed_at": fields.Datetime.now()})
                else:
                    record = Level.create(
                        {"partner_id": partner.id, "company_id": company.id, "level": str(new),
                         "changed_at": fields.Datetime.now()}
                    )
                record._credit_level_changed(old, new, kinds[partner.id])
                # The status snapshot and the blocked list read the level too.
                self.env["credit.policy.status"]._mark_dirty(partner, company)

    def _credit_level_changed(self, old, new, kinds):
        """Log the change on the customer, schedule the response and open the
        event re-evaluation due within 48 hours."""
        self.ensure_one()
        partner = self.partner_id.sudo().with_company(self.company_id)
        labels = dict(self._fields["level"]._description_selection(self.env))
        kind_labels = dict(self.env["credit.policy.crisis.signal"]._fields["kind"]._description_selection(self.env))
        signals = ", ".join(sorted(kind_labels[kind] for kind in kinds)) or "-"
        description = self.env._(
            "Crisis response level in %(company)s changed from %(old)s to %(new)s (active signals: %(signals)s%(litigation)s).",
            company=self.company_id.name,
            old=labels[str(old)],
            new=labels[str(new)],
            signals=signals,
            litigation=self.env._("; litigation prepared") if self.litigation else "",
        )
        partner.message_post(body=Markup("<p>%s</p>") % description)
        if new > old:
            self._credit_schedule_response(partner, new)
        self.env["credit.policy.evaluation"]._credit_event_review(
            partner,
            self.company_id,
            "crisis",
            description,
            self.env._("Re-evaluation after a change of the crisis response level (due within 48 hours)."),
            self.env.user,
        )

    def _credit_managers(self):
        group = self.env.ref(CREDIT_MANAGER)
        return group.users.filtered(lambda u: self.company_id in u.company_ids and not u.share and u.active)

    def _credit_schedule_response(self, partner, level):
        """The activities of the response level reached (seed 000 H)."""
        managers = self._credit_managers()
        salesperson = partner.user_id or managers[:1] or self.env.user
        todo = "mail.mail_activity_data_todo"
        plan = []
        if level >= 1:
            plan.append((salesperson, self.env._("Intensify collection (crisis response level %(level)s)", level=level)))
        if level >= 2:
            plan += [
                (salesperson, self.env._("Site visit (crisis response level %(level)s)", level=level)),
                (salesperson, self.env._("Asset investigation (crisis response level %(level)s)", level=level)),
            ]
            plan += [
                (manager, self.env._("Inform the legal department (crisis response level %(level)s)", level=level))
                for manager in managers
            ]
        if level >= 3:
            plan += [
                (manager, self.env._("Prepare litigation (crisis response level %(level)s)", level=level))
                for manager in managers
            ]
        open_summaries = {(a.user_id.id, a.summary) for a in partner.activity_ids}
        for user, summary in plan:
            if (user.id, summary) not in open_summaries:
                partner.activity_schedule(todo, summary=summary, user_id=user.id)

    @api.model
    def _credit_set_litigation(self, partner, company, litigation):
        """A Credit Manager prepares (or drops) litigation against the customer."""
        if not self.env.user.has_group(CREDIT_MANAGER):
            raise AccessError(self.env._("Only a Credit Manager prepares litigation against a customer."))
        partner = partner.commercial_partner_id
        company = self.env["credit.policy.check"]._credit_area(company)
        record = self.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        if not record:
            record = self.sudo().create({"partner_id": partner.id, "company_id": company.id, "level": "0"})
        record.litigation = litigation
        self._credit_update({(partner, company)})
        return record
