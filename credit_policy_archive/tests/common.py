from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.credit_policy.tests.common import CreditGradingCommon
from odoo.addons.credit_policy.tools import user_date


class CreditFileCommon(CreditGradingCommon):
    """Two sales departments, their people, the credit department, a
    warehouse user, a portal user, and one customer file at each level
    owned by the first department's salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        salesman = "sales_team.group_sale_salesman"
        cls.dept_manager = new_test_user(cls.env, "cpa_dm", groups=salesman)
        cls.owner = new_test_user(cls.env, "cpa_owner", groups=salesman)
        cls.colleague = new_test_user(cls.env, "cpa_colleague", groups=salesman)
        cls.other_salesman = new_test_user(cls.env, "cpa_other", groups=salesman)
        cls.officer = new_test_user(
            cls.env, "cpa_officer", groups="base.group_user,credit_policy.group_credit_policy_officer"
        )
        cls.warehouse = new_test_user(cls.env, "cpa_stock", groups="stock.group_stock_user")
        cls.portal = new_test_user(cls.env, "cpa_portal", groups="base.group_portal")
        cls.admin = cls.env.ref("base.user_admin")
        Team = cls.env["crm.team"]
        cls.team = Team.create(
            {
                "name": "East Sales",
                "user_id": cls.dept_manager.id,
                "member_ids": [Command.set([cls.owner.id, cls.colleague.id])],
            }
        )
        cls.other_team = Team.create({"name": "West Sales", "member_ids": [Command.set([cls.other_salesman.id])]})
        cls.licence = cls.env.ref("credit_policy_archive.document_type_business_licence")
        cls.files = {}
        for level in ("company", "department", "personal"):
            partner = cls.env["res.partner"].create(
                {"name": f"CPA {level} customer", "is_company": True, "user_id": cls.owner.id}
            )
            cls.files[level] = (
                cls.env["credit.policy.archive.file"]
                .with_user(cls.owner)
                .create(
                    {
                        "partner_id": partner.id,
                        "team_id": cls.team.id,
                        "confidentiality": level,
                        "registered_capital": 5000000.0,
                        "legal_representative": f"Rep {level}",
                        "financial_ids": [
                            Command.create(
                                {
                                    "period_end": "2024-03-31",
                                    "current_assets": 300.0,
                                    "current_liabilities": 150.0,
                                    "total_assets": 1000.0,
                                    "total_liabilities": 600.0,
                                    "operating_cash_flow": -10.0,
                                }
                            ),
                        ],
                        "document_ids": [
                            Command.create(
                                {
                                    "name": "Licence",
                                    "document_type_id": cls.licence.id,
                                    "expiry_date": fields.Date.add(fields.Date.today(), years=1),
                                }
                            ),
                        ],
                        "visit_ids": [Command.create({"summary": "Met the buyer"})],
                    }
                )
                .with_env(cls.env)
            )

    def _logs(self, file, user):
        return self.env["credit.policy.archive.read.log"].sudo().search(
            [("file_id", "=", file.id), ("user_id", "=", user.id)]
        )

    def _can_read(self, user, file):
        return bool(self.env["credit.policy.archive.file"].with_user(user).search([("id", "=", file.id)]))

    def _access_request(self, reader, level, days=3, context=None, **vals):
        """``reader``'s draft request to read the file at ``level`` from today
        (in his calendar) for ``days`` days."""
        today = user_date(self.env["res.users"], reader)
        return (
            self.env["credit.policy.archive.access.request"]
            .with_user(reader)
            .with_context(**(context or {}))
            .create(
                {
                    "partner_id": self.files[level].partner_id.id,
                    "purpose": "Prepare the contract renewal",
                    "date_from": today,
                    "date_to": today + timedelta(days=days),
                    **vals,
                }
            )
        )
