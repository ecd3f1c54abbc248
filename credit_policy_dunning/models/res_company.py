from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Dunning settings per company (POLICY.md §4 rule 5 and §5)."""

    _inherit = "res.company"

    credit_dunning_max_letters = fields.Integer(
        string="Maximum Dunning Letters",
        default=3,
        help="Seed 001: the credit check fails when the customer received more dunning letters than "
        "this about invoices still open (letters on small amounts, up to the ignored small "
        "overdue amount, do not count). 0 disables the rule.",
    )
    credit_dunning_cron_mode = fields.Selection(
        [("review", "Prepare a Run for Review"), ("execute", "Execute Automatically")],
        string="Daily Dunning Run",
        default="review",
        required=True,
        help="Prepare: the scheduled run proposes the day's actions and a Credit Controller "
        "reviews and executes them. Execute: the scheduled run sends the letters, schedules "
        "the calls and applies the shipping effects itself.",
    )
    credit_dunning_batch_size = fields.Integer(
        string="Dunning Batch Size",
        default=200,
        help="Customers handled per committed batch by the scheduled run.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._dunning_create_default_ladder()
        return companies

    def _dunning_create_default_ladder(self):
        """Give each of these companies a copy of the standard ladder (the
        main company's default data) unless it has a default ladder already;
        branches get none (see :meth:`_dunning_check_area`)."""
        template = self.env.ref("credit_policy_dunning.credit_policy_dunning_ladder_default", raise_if_not_found=False)
        if not template:
            return
        template = template.sudo()
        Ladder = self.env["credit.policy.dunning.ladder"].sudo().with_context(active_test=False)
        for company in self.sudo().filtered(lambda company: not company.parent_id):
            if not Ladder.search_count([("company_id", "=", company.id), ("is_default", "=", True)]):
                template.copy({"company_id": company.id, "is_default": True, "name": template.name})

    def _dunning_check_area(self):
        """Dunning works per credit control area, as the credit check does
        (``credit.policy.check._credit_area``): a branch has no ladder and no
        run of its own, its invoices are dunned in its root company's runs,
        on the root's ladders, and the stage they set is the root's."""
        for company in self:
            area = self.env["credit.policy.check"]._credit_area(company)
            if company != area:
                raise ValidationError(
                    self.env._(
                        "%(branch)s is a branch: its invoices are dunned by %(company)s, on its ladders and "
                        "in its runs.",
                        branch=company.name,
                        company=area.name,
                    )
                )

    @api.constrains("credit_dunning_max_letters", "credit_dunning_batch_size")
    def _check_credit_dunning_settings(self):
        for company in self:
            if company.credit_dunning_max_letters < 0 or company.credit_dunning_batch_size < 1:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the maximum number of dunning letters cannot be negative and the "
                        "batch size must be at least 1.",
                        company=company.name,
                    )
                )
