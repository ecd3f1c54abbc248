from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_credit_temporary_limit_grade import TemporaryLimitCase


@tagged("post_install", "-at_install")
class TestCreditTemporaryLimitValidityDays(TemporaryLimitCase):
    """Seed 002 (POLICY.md §2): B-grade temporary credit runs 15 days. A
    temporary limit counts from its "Valid From" day to its "Valid Until"
    day, both included (the check counts it while ``date_to >= today``): a
    limit of a 15-day grade must count on 15 days at most, not 16."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        table = cls.env["credit.policy.grade.table"].sudo().create({"name": "TLV", "company_id": cls.company.id})
        cls.grade_b = cls.env["credit.policy.grade"].sudo().create(
            {"table_id": table.id, "code": "B", "name": "B", "sequence": 20, "min_score": 60,
             "max_limit": 10000.0, "max_term_days": 30, "temporary_credit_days": 15}
        )
        cls.customer.with_company(cls.company).sudo().credit_grade_id = cls.grade_b

    def _days_counted(self, start, days=20):
        check = self.env["credit.policy.check"]
        counted = []
        for offset in range(days):
            day = start + timedelta(days=offset)
            with freeze_time(datetime.combine(day, time(12))):
                if check._temporary_limits(self.customer, self.company).get(self.customer.id):
                    counted.append(day)
        return counted

    def test_default_validity_counts_fifteen_days(self):
        request = self._request()  # no dates: as long as the grade allows
        request.action_request_approval()
        request.with_user(self.credit_manager).validate_tier()
        self.assertEqual(request.state, "approved")
        counted = self._days_counted(request.date_from)
        self.assertEqual(
            len(counted), 15,
            f"a B-grade temporary limit counts from {counted[0]} to {counted[-1]}: {len(counted)} days",
        )

    def test_sixteen_days_included_are_refused(self):
        today = fields.Date.today()
        # valid on 16 days: today ... today + 15, both included
        request = self._request(date_from=today, date_to=today + timedelta(days=15))
        with self.assertRaisesRegex(ValidationError, "at most 15 days"):
            request.action_request_approval()
