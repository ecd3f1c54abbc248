from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditGradingCommon


@tagged("post_install", "-at_install")
class TestCreditKeyDataOfAnotherCompanyNotChanged(CreditGradingCommon):
    """Each company chooses its key data (its credit settings, recorded in
    its change log); a Credit Manager of one company must not change, without
    a trace, what another company's evaluations count as key data, by
    retargeting or archiving a key data record that company lists."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.company"].create({"name": "Key Data Elsewhere"})
        cls.vat = cls.env["credit.policy.key.data"].search([("field_name", "=", "vat")])
        cls.other.credit_key_data_ids = cls.vat
        cls.company.credit_key_data_ids = cls.env["credit.policy.key.data"].search([("field_name", "=", "phone")])
        assert cls.other not in cls.credit_manager.company_ids

    def test_manager_cannot_retarget_another_companys_key_data(self):
        with self.assertRaises(AccessError):
            self.vat.with_user(self.credit_manager).write({"field_name": "comment"})

    def test_manager_cannot_archive_another_companys_key_data(self):
        with self.assertRaises(AccessError):
            self.vat.with_user(self.credit_manager).write({"active": False})
