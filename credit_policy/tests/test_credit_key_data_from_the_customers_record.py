from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.credit_policy import policy

from .common import CreditGradingCommon, RpcMixin


@tagged("post_install", "-at_install")
class TestCreditKeyDataFromTheCustomersRecord(RpcMixin, CreditGradingCommon, HttpCase):
    """Key Data Incomplete is read from the customer's record, with the key
    data the company lists, never ticked by the proposer: a customer missing
    key data is graded like a new customer (AA or above only with a special
    approval, POLICY.md §1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_key_data_ids = cls.env["credit.policy.key.data"].search(
            [("field_name", "in", ("street", "city", "country_id", "vat", "phone", "email"))]
        )
        cls.incomplete = cls.env["res.partner"].create(
            {"name": "CPG Without Tax Id", "is_company": True, "user_id": cls.salesperson.id, "city": "Suzhou"}
        )
        cls._establish_customer(cls.incomplete)

    def _create_as_salesperson(self, vals=None, context=None):
        """The salesperson's evaluation of the incomplete customer, scored AAA, through JSON-RPC."""
        evaluation_id = self._call(
            self.salesperson,
            "credit.policy.evaluation",
            "create",
            [{"partner_id": self.incomplete.id, "kind": "review", "line_ids": self._lines(38, 28, 29), **(vals or {})}],
            {"context": context or {}},
        )
        return self.env["credit.policy.evaluation"].browse(evaluation_id)

    def test_read_from_the_customers_record(self):
        evaluation = self._evaluation(38, 28, 29, partner=self.incomplete)
        self.assertTrue(evaluation.incomplete_data)
        self.assertEqual(
            set(evaluation.key_data_missing.split(", ")), {"Street", "Country", "Tax ID", "Phone", "Email"}
        )
        self.assertEqual(evaluation.grade_id, self.grade["A"], "capped like a new customer")
        self.assertIn("Missing key data", evaluation.grade_explanation)
        complete = self._evaluation(38, 28, 29)
        self.assertFalse(complete.incomplete_data)
        self.assertEqual(complete.grade_id, self.grade["AAA"])

    def test_completed_data_read_again_and_at_submission(self):
        evaluation = self._evaluation(38, 28, 29, partner=self.incomplete, user=self.salesperson)
        self.incomplete.write(
            {"street": "8 Xinghu Street", "country_id": self.env.ref("base.cn").id, "vat": "91320594MA1MEXQ6",
             "phone": "+86 512 0000 0000", "email": "buyer@incomplete.example.com"}
        )
        evaluation.with_user(self.salesperson).action_refresh_facts()
        self.assertFalse(evaluation.incomplete_data)
        self.assertEqual(evaluation.grade_id, self.grade["AAA"])
        # Data removed before submission: read again when submitted.
        self.incomplete.vat = False
        evaluation.with_user(self.salesperson).write({"proposed_limit": 100000})
        evaluation.with_user(self.salesperson).action_submit()
        self.assertTrue(evaluation.incomplete_data)
        self.assertEqual(evaluation.key_data_missing, "Tax ID")
        self.assertEqual(evaluation.grade_id, self.grade["A"])
        # What the approvers see stays as submitted.
        self.incomplete.vat = "91320594MA1MEXQ6"
        self.env.flush_all()
        evaluation.invalidate_recordset()
        self.assertTrue(evaluation.incomplete_data)
        self.assertEqual(evaluation.grade_id, self.grade["A"])

    def test_salesperson_cannot_untick_it_through_rpc(self):
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._create_as_salesperson({"incomplete_data": False})
        evaluation = self._create_as_salesperson(context={"default_incomplete_data": False})
        self.assertTrue(evaluation.incomplete_data)
        self.assertEqual(evaluation.grade_id, self.grade["A"])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(self.salesperson, evaluation._name, "write", [evaluation.ids, {"incomplete_data": False}])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(self.salesperson, evaluation._name, "write", [evaluation.ids, {"key_data_missing": False}])
        self._set_personal_default(self.salesperson, "credit.policy.evaluation", "incomplete_data", False)
        evaluation = self._create_as_salesperson()
        self.assertTrue(evaluation.incomplete_data)
        self._call(self.salesperson, evaluation._name, "write", [evaluation.ids, {"proposed_limit": 100000}])
        self._call(self.salesperson, evaluation._name, "action_submit", [evaluation.ids])
        self.assertEqual(evaluation.state, "to_approve")
        self.assertTrue(evaluation.incomplete_data)
        self.assertEqual(evaluation.grade_id, self.grade["A"], "no AAA for a customer with incomplete data")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).write({"incomplete_data": False})

    def test_the_company_chooses_its_key_data(self):
        self.company.credit_key_data_ids = False
        self.assertFalse(self._evaluation(38, 28, 29, partner=self.incomplete).incomplete_data)
        self.company.credit_key_data_ids = self.env.ref("credit_policy.credit_policy_key_data_city") | self.env[
            "credit.policy.key.data"
        ].create({"name": "Website Link", "field_name": "website"})
        evaluation = self._evaluation(38, 28, 29, partner=self.incomplete)
        self.assertEqual(evaluation.key_data_missing, "Website Link")
        self.assertTrue(self._evaluation(38, 28, 29).incomplete_data, "the complete customer has no website")

    def test_credit_managers_choose_the_key_data_in_their_settings(self):
        """The Credit Manager's settings form reads and sets the key data (not
        Odoo's field definitions, which only administrators read)."""
        form = self._call(self.credit_manager, "credit.policy.settings", "create", [{}])
        shown = self._call(
            self.credit_manager, "credit.policy.settings", "web_read",
            [[form], {"credit_key_data_ids": {"fields": {"display_name": {}}}}],
        )[0]["credit_key_data_ids"]
        self.assertEqual(
            [row["display_name"] for row in shown], self.company.credit_key_data_ids.mapped("name"),
            "the company's key data shows",
        )
        vat = self.env.ref("credit_policy.credit_policy_key_data_vat")
        self._call(self.credit_manager, "credit.policy.settings", "create", [{"credit_key_data_ids": [[6, 0, vat.ids]]}])
        self.assertEqual(self.company.credit_key_data_ids, vat)
        with self.assertRaises(ValidationError):
            self.env["credit.policy.key.data"].create({"name": "Orders", "field_name": "sale_order_ids"})
        with self.assertRaises(ValidationError):
            self.env["credit.policy.key.data"].create({"name": "Nothing", "field_name": "no_such_field"})

    def test_new_companies_start_with_the_default_key_data(self):
        company = self.env["res.company"].create({"name": "CPG Key Data Company"})
        self.assertEqual(
            set(company.credit_key_data_ids.mapped("field_name")),
            {"street", "city", "country_id", "vat", "phone", "email"},
        )

    def test_demo_customers_have_their_key_data(self):
        for xmlid in ("aaa", "aa", "a", "b", "c", "new"):
            partner = self.env.ref(f"credit_policy.credit_policy_partner_{xmlid}_demo")
            with self.subTest(partner=xmlid):
                self.assertEqual(self.company._credit_missing_key_data(partner)[partner.id], [])
        facts = self.env.ref("credit_policy.credit_policy_evaluation_facts_demo")
        self.assertFalse(facts.incomplete_data)

    def test_missing_key_data_rule(self):
        self.assertEqual(
            policy.missing_key_data({"street": "1 Road", "vat": "", "country_id": self.env["res.country"]}),
            ["vat", "country_id"],
        )
        self.assertEqual(policy.missing_key_data({}), [])
