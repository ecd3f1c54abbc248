from odoo import fields, models
from odoo.exceptions import UserError


class CreditPolicyDunningWizard(models.TransientModel):
    """The finance wizard of a dunning run: choose the date, company, ladder
    and (optionally) customers, preview every proposed action and exclude
    some, then confirm; the summary links what was produced."""

    _name = "credit.policy.dunning.wizard"
    _description = "Run Dunning"

    date = fields.Date(required=True, default=fields.Date.context_today)
    # Branches are dunned in their root company's run.
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company.root_id,
        domain=[("parent_id", "=", False)],
    )
    ladder_id = fields.Many2one(
        "credit.policy.dunning.ladder",
        domain="[('company_id', '=', company_id)]",
        help="Only the customers on this ladder; empty: every customer, each on its own ladder.",
    )
    partner_ids = fields.Many2many(
        "res.partner", string="Customers", help="Only these customers; empty: every customer with overdue invoices."
    )
    step = fields.Selection(
        [("setup", "Setup"), ("preview", "Preview"), ("done", "Done")], default="setup", required=True, readonly=True
    )
    run_id = fields.Many2one("credit.policy.dunning.run", readonly=True)
    # What the preview listed: the confirmation carries out these and nothing
    # a colleague's preview or the scheduled run added to the run meanwhile.
    line_ids = fields.Many2many(
        "credit.policy.dunning.line",
        string="Actions",
        readonly=True,
        help="The run's actions about the wizard's customers (all of them when none is chosen), as previewed.",
    )
    summary = fields.Text(readonly=True)
    print_attachment_id = fields.Many2one("ir.attachment", string="Letters to Print", readonly=True)
    message = fields.Char(readonly=True)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Run Dunning"),
        }

    def action_preview(self):
        """Propose the run's actions (nothing is sent yet)."""
        self.ensure_one()
        Run = self.env["credit.policy.dunning.run"]
        Run._check_controller()
        if self.step != "setup":
            raise UserError(self.env._("This wizard was already used; start a new one."))
        if self.company_id not in self.env.companies:
            raise UserError(self.env._("Select a company you are working in."))
        run = Run.with_company(self.company_id)._prepare(
            self.company_id, self.date, self.ladder_id, self.partner_ids or None
        )
        if not run:
            self.message = self.env._("Nothing new to do on this date.")
            return self._reopen()
        self.write(
            {
                "run_id": run.id,
                "line_ids": [fields.Command.set(run._lines_for(self.partner_ids).ids)],
                "step": "preview",
                "message": False,
            }
        )
        return self._reopen()

    def action_confirm(self):
        """Carry out the actions still proposed."""
        self.ensure_one()
        if self.step != "preview" or not self.run_id:
            raise UserError(self.env._("Preview the run first."))
        run = self.run_id.with_company(self.company_id)
        run._execute_run(self.line_ids)
        if run.state == "done" and self.line_ids == run.line_ids:
            summary, letters = run.summary, run.print_attachment_id
        else:
            # Only what was previewed: the rest of the run awaits its review.
            lines = self.line_ids
            summary, letters = run._summary_text(lines), run._merge_print_letters(lines)
        self.write({"step": "done", "summary": summary, "print_attachment_id": letters.id})
        return self._reopen()

    def action_open_run(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.policy.dunning.run",
            "res_id": self.run_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_download_letters(self):
        """The letters this wizard carried out (the whole run's, or only its
        customers' while the rest of the run awaits review)."""
        self.ensure_one()
        return self.run_id._letters_download_action(self.print_attachment_id)
