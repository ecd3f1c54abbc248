from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResPartner(models.Model):
    """Credit master data of a customer, per company (POLICY.md §2).

    The granted limit is Odoo's own company-dependent ``credit_limit``; credit
    users may read it too.
    """

    _inherit = "res.partner"

    credit_limit = fields.Float(
        groups="account.group_account_invoice,account.group_account_readonly,"
        "credit_policy.group_credit_policy_user",
        tracking=True,
    )
    credit_grade_id = fields.Many2one(
        "credit.policy.grade",
        string="Credit Grade",
        company_dependent=True,
        tracking=True,
    )
    credit_term_days = fields.Integer(
        string="Credit Term (days)", company_dependent=True, tracking=True
    )
    credit_collateral_value = fields.Float(
        string="Collateral Value",
        company_dependent=True,
        help="Value of the recorded mortgage or guarantee, in company currency.",
    )
    credit_collateral_note = fields.Char(string="Collateral", company_dependent=True)
    credit_last_review_date = fields.Date(string="Last Credit Review", company_dependent=True)
    credit_next_review_date = fields.Date(string="Next Credit Review", company_dependent=True)
    credit_on_hold = fields.Boolean(
        string="Credit Hold",
        company_dependent=True,
        tracking=True,
        help="Blacklisted: no credit sale and no delivery until lifted.",
    )

    # Group credit (POLICY.md §4): the head holds the limit shared by its members.
    credit_group_head_id = fields.Many2one(
        "res.partner",
        string="Credit Group Head",
        index=True,
        tracking=True,
        domain="[('is_company', '=', True), ('credit_group_head_id', '=', False), ('id', '!=', id)]",
        help="Company holding the credit limit this customer shares (group credit). "
        "The customer may still carry its own credit limit as a sub-limit.",
    )
    credit_group_member_ids = fields.One2many(
        "res.partner", "credit_group_head_id", string="Credit Group Members"
    )

    # Live figures of the customer's credit account, in the current company.
    credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_credit_figures", string="Credit Currency"
    )
    credit_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Open receivables + draft invoices + delivered not invoiced + confirmed "
        "orders not yet delivered within the horizon; for a credit group head, "
        "summed over its members.",
    )
    credit_temporary_limit = fields.Monetary(
        string="Temporary Limits",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Approved, unexpired temporary credit limits.",
    )
    credit_effective_limit = fields.Monetary(
        string="Effective Limit",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Credit limit + approved, unexpired temporary limits.",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
    )
    credit_usage_percent = fields.Float(
        string="Credit Usage (%)",
        compute="_compute_credit_figures",
        search="_search_credit_usage_percent",
        digits=(16, 1),
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
    )
    credit_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)", compute="_compute_credit_figures"
    )
    credit_status = fields.Selection(
        [
            ("ok", "OK"),
            ("warn", "Above Alert Threshold"),
            ("alert", "Repayment Plan Needed"),
            ("over", "Over Limit"),
            ("hold", "On Credit Hold"),
        ],
        compute="_compute_credit_figures",
        search="_search_credit_status",
        help="Live status; searching uses the status snapshot refreshed by "
        "invoices, payments, orders, deliveries and nightly.",
    )
    credit_temporary_limit_count = fields.Integer(compute="_compute_credit_temporary_limit_count")

    @api.depends_context("company")
    @api.depends("commercial_partner_id", "credit_group_head_id")
    def _compute_credit_figures(self):
        company = self.env.company
        check = self.env["credit.policy.check"]
        partners = self.filtered("id")
        accounts = self.browse(
            {check._get_credit_account(p).id for p in partners.sudo()}
        )
        figures = check._get_credit_figures(accounts, company) if accounts else {}
        for partner in self:
            fig = figures.get(check._get_credit_account(partner.sudo()).id) if partner.id else None
            partner.credit_currency_id = company.currency_id
            if not fig:
                partner.update(
                    {
                        "credit_exposure": 0.0,
                        "credit_temporary_limit": 0.0,
                        "credit_effective_limit": 0.0,
                        "credit_available": 0.0,
                        "credit_usage_percent": 0.0,
                        "credit_overdue_amount": 0.0,
                        "credit_oldest_overdue_days": 0,
                        "credit_status": "ok",
                    }
                )
                continue
            partner.update(
                {
                    "credit_exposure": fig["exposure"],
                    "credit_temporary_limit": fig["temporary_limit"],
                    "credit_effective_limit": fig["effective_limit"],
                    "credit_available": fig["available"],
                    "credit_usage_percent": fig["usage_percent"],
                    "credit_overdue_amount": fig["overdue_amount"],
                    "credit_oldest_overdue_days": fig["oldest_overdue_days"],
                    "credit_status": fig["status"],
                }
            )

    def _search_credit_snapshot(self, field_name, operator, value):
        """Search the indexed status snapshot of the current company."""
        rows = self.env["credit.policy.status"].sudo()._search(
            [("company_id", "=", self.env.company.id), (field_name, operator, value)]
        )
        return [("id", "in", rows.subselect("partner_id"))]

    def _search_credit_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on credit status."))
        return self._search_credit_snapshot("status", operator, value)

    def _search_credit_usage_percent(self, operator, value):
        if operator not in ("=", "!=", "<", "<=", ">", ">="):
            raise UserError(self.env._("Unsupported search on credit usage."))
        return self._search_credit_snapshot("usage_percent", operator, value)

    def _compute_credit_temporary_limit_count(self):
        rows = self.env["credit.policy.temporary.limit"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in rows}
        for partner in self:
            partner.credit_temporary_limit_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.constrains("credit_group_head_id")
    def _check_credit_group_head(self):
        for partner in self.filtered("credit_group_head_id"):
            head = partner.credit_group_head_id
            if head == partner or head.credit_group_head_id:
                raise ValidationError(
                    self.env._(
                        "%(head)s cannot head the credit group of %(partner)s: a group "
                        "head holds the limit itself and belongs to no other group.",
                        head=head.display_name,
                        partner=partner.display_name,
                    )
                )
            if partner.credit_group_member_ids:
                raise ValidationError(
                    self.env._(
                        "%(partner)s heads a credit group and cannot join another one.",
                        partner=partner.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Smart buttons: the documents behind each figure
    # ------------------------------------------------------------------

    def _credit_group_partners(self):
        self.ensure_one()
        account = self.env["credit.policy.check"]._get_credit_account(self)
        return account | account.credit_group_member_ids

    def _action_credit_documents(self, component_code, name):
        self.ensure_one()
        check = self.env["credit.policy.check"]
        component = next(c for c in check._get_exposure_components() if c.code == component_code)
        model, domain = component.domain(self._credit_group_partners(), self.env.company)
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
            "context": {"create": False},
        }

    def action_view_credit_receivables(self):
        return self._action_credit_documents("receivable", self.env._("Open Receivables"))

    def action_view_credit_overdue(self):
        action = self._action_credit_documents("receivable", self.env._("Overdue Items"))
        action["domain"] += [
            ("date_maturity", "<", fields.Date.context_today(self)),
            ("amount_residual", ">", 0),
        ]
        return action

    def action_view_credit_orders(self):
        return self._action_credit_documents("open_order", self.env._("Open Orders"))

    def action_view_credit_temporary_limits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_policy.credit_policy_temporary_limit_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
