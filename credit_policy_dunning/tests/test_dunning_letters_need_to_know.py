from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.credit_policy.tests.common import RpcMixin

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningLettersNeedToKnow(RpcMixin, DunningCommon, HttpCase):
    """A collection letter (an attachment of its dunning action) is read by
    whoever may read the action: the controllers of its company and the
    customer's salesperson, not a warehouse user, another customer's
    salesperson nor a controller of another company, also when downloaded
    by its id (/web/content/<id>)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_company = cls.env["res.company"].create({"name": "Dunning Elsewhere Ltd"})
        cls.foreign_controller = new_test_user(
            cls.env, "dun_foreign_controller", groups="credit_policy.group_credit_policy_controller",
            company_id=other_company.id, company_ids=[Command.set(other_company.ids)],
        )
        cls.other_salesperson = new_test_user(
            cls.env, "dun_sales_other", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )

    def _download(self, user, attachment):
        self.authenticate(user.login, user.login)
        # a request of its own reads the database, not this test's cache
        self.env.invalidate_all()
        return self.url_open(f"/web/content/{attachment.id}?download=true")

    def test_a_letter_is_downloaded_by_who_may_read_its_action_only(self):
        self._overdue_invoice(self.customer, 500.0, 20)
        letter = self._line(self._run()).letter_attachment_id
        self.assertTrue(letter)
        content = letter.raw
        for user in (self.controller, self.salesperson):
            with self.subTest(user=user.login):
                self.assertEqual(self._download(user, letter).content, content)
        for user in (self.warehouse_user, self.other_salesperson, self.foreign_controller):
            with self.subTest(user=user.login):
                response = self._download(user, letter)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(self.customer.name.encode(), response.content)
