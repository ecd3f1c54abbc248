from odoo import fields, models


class CreditPolicyArchiveVisit(models.Model):
    """A visit to or contact with the customer, as recorded in its credit file."""

    _name = "credit.policy.archive.visit"
    _description = "Credit File Visit or Contact"
    _inherit = ["credit.policy.archive.file.content.mixin"]
    _order = "file_id, date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(
        [("visit", "Visit"), ("call", "Phone Call"), ("meeting", "Meeting"), ("letter", "Letter or E-mail")],
        required=True,
        default="visit",
    )
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    contact = fields.Char(string="Contact Person")
    summary = fields.Text(required=True)
