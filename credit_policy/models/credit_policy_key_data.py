from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditPolicyKeyData(models.Model):
    """One piece of customer data an evaluation may need complete (POLICY.md
    §1: a customer whose key data is incomplete is graded like a new
    customer): a field of the customer's record under a name users read.
    Each company chooses which count (its credit settings, in its change
    log); the definitions are shared by all companies, so only
    administrators change them."""

    _name = "credit.policy.key.data"
    _description = "Customer Key Data"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    field_name = fields.Char(
        string="Customer Field",
        required=True,
        help="Technical name of the customer's field that must be filled, e.g. vat for the tax ID.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("field_name_unique", "UNIQUE(field_name)", "Each customer field is key data once."),
    ]

    @api.constrains("field_name")
    def _check_field_name(self):
        partner_fields = self.env["res.partner"]._fields
        for key_data in self:
            field = partner_fields.get(key_data.field_name)
            if not field or not field.store or field.type in ("one2many", "many2many", "binary"):
                raise ValidationError(
                    self.env._(
                        "%(name)s: %(field)s is not a stored field of the customer that can be filled in.",
                        name=key_data.name,
                        field=key_data.field_name,
                    )
                )
