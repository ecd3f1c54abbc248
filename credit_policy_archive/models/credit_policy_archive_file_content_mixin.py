from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.credit_policy.tools import audited_values, changed_fields

SOURCES = [
    ("customer", "Provided by the Customer"),
    ("visit", "Visit"),
    ("bank", "Bank"),
    ("tax", "Tax Office"),
    ("registry", "Business Registry"),
    ("agency", "Credit Agency"),
    ("internal", "Internal Records"),
    ("investigation", "Commissioned Investigation"),
]


class CreditPolicyArchiveFileContentMixin(models.AbstractModel):
    """A record of a credit file's content (financial statement, document,
    visit, information source): the file's confidentiality applies to it
    through record rules on ``file_id``, and its reads are logged against the file."""

    _name = "credit.policy.archive.file.content.mixin"
    _inherit = ["credit.policy.archive.confidential.mixin"]
    _description = "Credit File Content"
    _check_company_auto = True
    #: Fields the server keeps for its own reminders: writing them completes nothing.
    _archive_bookkeeping_fields = frozenset()

    file_id = fields.Many2one(
        "credit.policy.archive.file", string="Credit File", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="file_id.partner_id", store=True, string="Customer")

    def _archive_files(self):
        return self.file_id

    # Adding, changing or removing a record of the content completes its file
    # (the salesperson's monthly completion, seed 003).
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.sudo().file_id._archive_touch_content()
        return records

    def write(self, vals):
        if "file_id" in vals and not self.env.su and any(record.file_id.id != vals["file_id"] for record in self):
            raise UserError(self.env._("The content of a credit file cannot be moved to another file."))
        before = audited_values(self, [name for name in vals if name not in self._archive_bookkeeping_fields])
        result = super().write(vals)
        # Only a real change completes the file (saving the same values again does not).
        changed = self.filtered(lambda record: changed_fields(record, before.get(record, {})))
        changed.sudo().file_id._archive_touch_content()
        return result

    def unlink(self):
        files = self.sudo().file_id
        result = super().unlink()
        files._archive_touch_content()
        return result
