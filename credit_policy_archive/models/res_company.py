from odoo import fields, models


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
