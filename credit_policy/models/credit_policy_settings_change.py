from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import changed_fields, display_value


class CreditPolicySettingsChange(models.Model):
    """One change of a company's credit setting (a threshold, a horizon, an
    approval amount ...): who changed what from what to what, and when.

    Written only by ``res.company.write`` (:meth:`_record`); nobody edits it.
    """

    _name = "credit.policy.settings.change"
    _description = "Credit Setting Change"
    _order = "date desc, id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one("res.users", string="Changed By", required=True, readonly=True)
    field_id = fields.Many2one("ir.model.fields", string="Setting", required=True, ondelete="cascade", readonly=True)
    old_value = fields.Char(string="Old Value", readonly=True)
    new_value = fields.Char(string="New Value", readonly=True)

    @api.model
    def _setting_fields(self):
        """The company's credit settings whose changes are recorded: its
        stored ``credit_*`` fields (those of the other credit addons too)."""
        return [
            name for name, fld in self.env["res.company"]._fields.items()
            if fld.store and name.startswith("credit_")
        ]

    @api.model
    def _record(self, before):
        """Record, by the current user, the settings of ``before``
        (:func:`~odoo.addons.credit_policy.tools.audited_values` of companies)
        whose value changed since."""
        names = {name for values in before.values() for name in values}
        fields_by_name = {
            fld.name: fld for fld in self.env["ir.model.fields"].sudo().search(
                [("model", "=", "res.company"), ("name", "in", list(names))]
            )
        }
        self.sudo().with_context(credit_policy_settings_change=True).create([
            {
                "company_id": company.id,
                "user_id": self.env.uid,
                "field_id": fields_by_name[name].id,
                "old_value": display_value(company, name, values[name]),
                "new_value": display_value(company, name, company[name]),
            }
            for company, values in before.items()
            for name in changed_fields(company, values)
            if name in fields_by_name
        ])

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("credit_policy_settings_change"):
            raise AccessError(self.env._("The credit settings' changes are recorded by the changes themselves."))
        return super().create(vals_list)

    def write(self, vals):
        raise AccessError(self.env._("A recorded change of a credit setting cannot be altered."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("A recorded change of a credit setting cannot be deleted."))
