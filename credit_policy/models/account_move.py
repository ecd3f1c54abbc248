from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_late_payment_reason = fields.Char(
        string="Valid Reason for Late Payment",
        tracking=True,
        help="E.g. our own quality complaint or late delivery. Invoices paid late "
        "with a valid reason do not count against the customer's payment record.",
    )
