from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.credit_policy.models.credit_policy_workflow_mixin import credit_trusted

HANDOVER_GROUPS = (
    "credit_policy.group_credit_policy_manager",
    "credit_policy.group_credit_policy_regional_manager",
)


class CreditPolicyArchiveHandoverWizard(models.TransientModel):
    """Hand an employee's credit files (and his customers) over to another
    (seed 003: files never leave with the person; seed 000: the regional
    manager assigns customers), or assign customers without a salesperson."""

    _name = "credit.policy.archive.handover.wizard"
    _description = "Credit File Handover"

    mode = fields.Selection(
        [("handover", "Hand Over an Employee's Files"), ("assign", "Assign Customers Without Salesperson")],
        required=True,
        default="handover",
    )
    from_user_id = fields.Many2one("res.users", string="From", help="The employee leaving or changing territory.")
    # A count, not the files: whoever hands files over need not read them.
    file_count = fields.Integer(string="Files to Hand Over", compute="_compute_file_count")
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain="[('parent_id', '=', False), ('user_id', '=', False)]",
        help="Customers without a salesperson to assign.",
    )
    to_user_id = fields.Many2one("res.users", string="To", required=True, domain="[('share', '=', False)]")
    to_team_id = fields.Many2one("crm.team", string="New Department")
    reassign_salesperson = fields.Boolean(
        string="Also Reassign the Customers' Salesperson", default=True
    )
    reason = fields.Char(required=True)

    @api.depends("from_user_id")
    def _compute_file_count(self):
        for wizard in self:
            wizard.file_count = len(wizard._files_to_hand_over())

    def _handover_companies_domain(self):
        """Only the files of the companies the acting user works in move."""
        return [("company_id", "in", self.env.user.company_ids.ids)]

    def _files_to_hand_over(self):
        """Every file of the employee in the acting user's companies,
        archived ones included (superuser)."""
        if not self.from_user_id:
            return self.env["credit.policy.archive.file"]
        return self.env["credit.policy.archive.file"].sudo().with_context(active_test=False).search(
            [("owner_id", "=", self.from_user_id.id), *self._handover_companies_domain()]
        )

    @api.onchange("to_user_id")
    def _onchange_to_user_id(self):
        self.to_team_id = self.to_user_id.sale_team_id

    def _check_rights(self):
        if not any(self.env.user.has_group(group) for group in HANDOVER_GROUPS):
            raise AccessError(self.env._("Only a Credit Manager or a Regional Manager hands credit files over."))

    def action_confirm(self):
        self.ensure_one()
        self._check_rights()
        if not self.to_user_id or self.to_user_id.share or not self.to_user_id.active:
            raise UserError(self.env._("Hand the files over to an active internal user."))
        # Owning a file opens it at every level: nobody gives files to himself.
        if self.to_user_id == self.env.user:
            raise AccessError(
                self.env._(
                    "You cannot hand credit files over to yourself; ask another Credit Manager or Regional Manager."
                )
            )
        if self.mode == "assign":
            return self._assign_customers()
        if self.to_user_id == self.from_user_id:
            raise UserError(self.env._("Hand the files over to someone else."))
        files = self._files_to_hand_over()
        if not files:
            raise UserError(self.env._("There is no file to hand over."))
        self._check_new_department(files)
        vals = {"owner_id": self.to_user_id.id}
        if self.to_team_id:
            vals["team_id"] = self.to_team_id.id
        for file in files:
            previous = file.owner_id
            credit_trusted(file).write(vals)
            file.message_post(
                body=self.env._(
                    "Handed over from %(old)s to %(new)s by %(by)s: %(reason)s",
                    old=previous.name,
                    new=self.to_user_id.name,
                    by=self.env.user.name,
                    reason=self.reason,
                )
            )
        if self.reassign_salesperson:
            partners = files.partner_id.filtered(lambda p: p.user_id == self.from_user_id or not p.user_id)
            self._set_salesperson(partners)
        return {"type": "ir.actions.act_window_close"}

    def _check_new_department(self, files):
        """The files move into a department of the person receiving them,
        and whoever hands them over does not make himself their reader: the
        members of a department read its department-level files, its leader
        its personal ones too (POLICY.md §6: anyone else needs an access
        request). Moving files between departments is for Credit Managers,
        except within the departments the acting user already leads."""
        team = self.to_team_id.sudo()
        if not team:
            return
        if self.to_user_id not in team.member_ids and team.user_id != self.to_user_id:
            raise UserError(
                self.env._(
                    "%(user)s is not a member of %(team)s: hand the files into a department the person "
                    "receiving them belongs to.",
                    user=self.to_user_id.name,
                    team=team.name,
                )
            )
        if self.env.user.has_group("credit_policy.group_credit_policy_manager"):
            return
        me = self.env.user
        if me != team.user_id and me not in team.member_ids:
            return
        for file in files.sudo():
            if file.team_id != team and file.team_id.user_id != me:
                raise AccessError(
                    self.env._(
                        "You belong to %(team)s: only a Credit Manager moves the files of another department "
                        "(%(file)s) into it.",
                        team=team.name,
                        file=file.display_name,
                    )
                )

    def _assign_customers(self):
        partners = self.partner_ids.sudo()
        if not partners:
            raise UserError(self.env._("Select the customers to assign."))
        if partners.filtered("user_id"):
            raise UserError(self.env._("Only customers without a salesperson are assigned here; hand over the others."))
        self._set_salesperson(partners)
        files = self.env["credit.policy.archive.file"].sudo().search(
            [("partner_id", "in", partners.ids), *self._handover_companies_domain()]
        )
        for file in files:
            credit_trusted(file).write({"owner_id": self.to_user_id.id})
            file.message_post(
                body=self.env._("Assigned to %(new)s by %(by)s: %(reason)s",
                                new=self.to_user_id.name, by=self.env.user.name, reason=self.reason)
            )
        return {"type": "ir.actions.act_window_close"}

    def _set_salesperson(self, partners):
        for partner in partners.sudo():
            previous = partner.user_id
            partner.user_id = self.to_user_id
            partner.message_post(
                body=self.env._(
                    "Salesperson changed from %(old)s to %(new)s by %(by)s: %(reason)s",
                    old=previous.name or "-",
                    new=self.to_user_id.name,
                    by=self.env.user.name,
                    reason=self.reason,
                )
            )
