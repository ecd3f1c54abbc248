from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_archive_director_id = fields.Many2one(
        "res.users",
        string="Sales Director (Credit Files)",
        help="Approves access requests to department-level credit files. Empty: the Sales Administrators.",
    )
    credit_archive_company_approver_group_id = fields.Many2one(
        "res.groups",
        string="Company-level File Approvers",
        help="Approve access requests to company-level credit files. Empty: the General Manager group.",
    )
    credit_crisis_no_contact_days = fields.Integer(
        string="Crisis Signal: No Contact For (days)",
        default=60,
        help="The monthly scan raises a \"communication broken off\" crisis signal for a customer who owes us "
        "money or has open orders when no contact or visit was recorded in its credit file for more than this "
        "many days (counted from the file's opening when none was recorded). Only customers with a credit "
        "file are watched. 0 disables the signal.",
    )
    credit_archive_completion_days = fields.Integer(
        string="Complete Credit Files Every (days)",
        default=30,
        help="The salesperson who owns a credit file gets a \"Complete the credit file\" activity when nothing "
        "in the file (its data, documents, financial statements, visits or sources) changed for more than this "
        "many days; it is marked done when the file is completed. 0: no such activity.",
    )

    @api.constrains("credit_crisis_no_contact_days", "credit_archive_completion_days")
    def _check_credit_archive_days(self):
        for company in self:
            if company.credit_crisis_no_contact_days < 0 or company.credit_archive_completion_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the days without contact and between completions of a credit file "
                        "cannot be negative.",
                        company=company.name,
                    )
                )
