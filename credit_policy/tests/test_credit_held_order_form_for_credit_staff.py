"""Credit staff open a held order from Credit > Held Orders: the order's form
loads as the web client reads it (demo data: the demo's Credit Controller and
the quotation of 远航商贸有限公司 the demo holds).

Review finding (rev_c): this test fails on the current code with an
AccessError on sale.order.template. The action opens sale.view_order_form
(views/sale_order_views.xml, credit_policy_held_order_action); for a Credit
Controller who is no salesman (the demo's `controller`), the form's field
is_pdf_quote_builder_available (sale_pdf_quote_builder, auto-installed with
sale_management) reads the quotation templates of the company's quotation
headers/footers, which he may not read: clicking a row of the list shows an
error instead of the order."""
from lxml import etree

from odoo.tests import TransactionCase, tagged

from .common import neutralise_total_credit_cap


def _form_spec(model, arch):
    names = set(etree.fromstring(arch).xpath("//field[not(ancestor::field)]/@name"))
    return {
        name: ({"fields": {"display_name": {}}} if model._fields[name].relational else {})
        for name in names
    }


@tagged("post_install", "-at_install")
class TestCreditHeldOrderFormForCreditStaff(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        neutralise_total_credit_cap(cls.env)

    def test_demo_credit_controller_opens_the_demo_held_order(self):
        controller = self.env.ref("credit_policy.user_credit_controller_demo")
        action = self.env.ref("credit_policy.credit_policy_held_order_action").sudo()
        form_view = action.view_ids.filtered(lambda v: v.view_mode == "form").view_id
        model = self.env["sale.order"].with_user(controller).with_company(controller.company_id)
        held = model.search(eval(action.domain))
        self.assertTrue(held, "the demo holds an order")
        arch = model.get_views([(form_view.id, "form")])["views"]["form"]["arch"]
        for order in held:
            with self.subTest(order=order.name):
                order.web_read(_form_spec(model, arch))
