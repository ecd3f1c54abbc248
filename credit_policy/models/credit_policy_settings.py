from odoo import Command, api, fields, models
from odoo.exceptions import AccessError

#: What the settings form may do with a list of records it chooses from (the
#: key data): choose them, never create, edit or delete them (it writes the
#: company as superuser).
CHOOSING_COMMANDS = (Command.LINK, Command.UNLINK, Command.CLEAR, Command.SET)


class CreditPolicySettings(models.TransientModel):
    """Credit > Configuration > Settings: the credit settings of the current
    company, for Credit Managers.

    Odoo's Settings can only be saved by administrators (res.config.settings),
    so a Credit Manager maintains the credit policy here: the same company
    fields, checked by the same constraints, and nothing else of the company.
    The values are written to the company in one write, so that settings
    depending on each other (the two thresholds) are checked together.
    """

    _name = "credit.policy.settings"
    _inherit = "credit.policy.settings.fields"
    _description = "Credit Settings"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    # shown, not changed: switching it is for administrators (Settings > Credit)
    credit_four_eyes = fields.Boolean(related="company_id.credit_four_eyes", readonly=True)

    def _check_credit_settings_rights(self):
        if not self.env.su and not self.env.user.has_group("credit_policy.group_credit_policy_manager"):
            raise AccessError(self.env._("Only a Credit Manager may change the credit settings."))

    def _split_credit_settings(self, vals):
        """The settings to write on the company, and the other values.

        The company is always the user's current one, whatever the caller
        sends: a Credit Manager of one company cannot set another's policy.
        """
        settings = {name: vals[name] for name in self._credit_settings_field_names() if name in vals}
        self._raise_if_records_edited(settings)
        others = {name: value for name, value in vals.items() if name not in settings}
        others.pop("company_id", None)
        if "credit_four_eyes" in others and bool(others.pop("credit_four_eyes")) != self.env.company.credit_four_eyes:
            raise AccessError(
                self.env._(
                    "Only an administrator may switch the four-eyes principle (Settings > Credit): "
                    "whoever decides credit requests must not be able to lift the rule that keeps "
                    "him from deciding his own."
                )
            )
        return settings, others

    def _raise_if_records_edited(self, settings):
        """The records a setting lists (the key data) are chosen, not changed:
        their definitions are shared by every company and only administrators
        edit them (the company is written as superuser)."""
        for name, commands in settings.items():
            if self._fields[name].type not in ("one2many", "many2many") or not commands:
                continue
            if any(
                not isinstance(command, (list, tuple)) or command[0] not in CHOOSING_COMMANDS
                for command in commands
            ):
                raise AccessError(
                    self.env._(
                        "%(setting)s: the credit settings choose from the existing records; only an "
                        "administrator creates, changes or deletes them.",
                        setting=self._fields[name]._description_string(self.env),
                    )
                )

    def _write_company_settings(self, settings):
        if settings:
            # sudo: Credit Managers may not write the company; the right was
            # checked above and only the credit settings are written.
            self.company_id.sudo().write(settings)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_credit_settings_rights()
        split = [self._split_credit_settings(vals) for vals in vals_list]
        records = super().create([dict(others, company_id=self.env.company.id) for _settings, others in split])
        for record, (settings, _others) in zip(records, split, strict=True):
            record._write_company_settings(settings)
        return records

    def write(self, vals):
        self._check_credit_settings_rights()
        settings, others = self._split_credit_settings(vals)
        for record in self:
            record._write_company_settings(settings)
        self.invalidate_recordset(list(settings))
        return super().write(others) if others else True

    def action_save(self):
        """The values are saved with the record: show them again, fresh."""
        self._check_credit_settings_rights()
        return self.env["ir.actions.act_window"]._for_xml_id("credit_policy.credit_policy_settings_action")
