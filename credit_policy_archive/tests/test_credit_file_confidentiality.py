from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditFileCommon

CONTENT_MODELS = (
    "credit.policy.archive.financial",
    "credit.policy.archive.document",
    "credit.policy.archive.visit",
)


@tagged("post_install", "-at_install")
class TestCreditFileConfidentiality(CreditFileCommon):
    """Who reads which level (seed 003), on the file and on every model
    holding its content."""

    def _readable(self, user):
        """Levels whose file and content ``user`` reads."""
        readable = set()
        for level, file in self.files.items():
            found = self.env["credit.policy.archive.file"].with_user(user).search([("id", "=", file.id)])
            content = [
                self.env[model].with_user(user).search([("file_id", "=", file.id)]) for model in CONTENT_MODELS
            ]
            if found:
                self.assertTrue(all(content), f"{user.login} reads the {level} file but not all its content")
                found.read(["legal_representative"])
                readable.add(level)
            else:
                self.assertFalse(any(content), f"{user.login} reads content of the {level} file he cannot read")
                with self.assertRaises(AccessError):
                    file.with_user(user).read(["legal_representative"])
        return readable

    def test_each_level_is_read_by_its_readers_only(self):
        expected = {
            self.owner: {"company", "department", "personal"},
            self.dept_manager: {"department", "personal"},
            self.colleague: {"department"},
            self.other_salesman: set(),
            self.officer: {"company"},
            self.general_manager: {"company"},
            self.credit_manager: {"company", "department", "personal"},
            self.warehouse: set(),
            self.regional_manager: set(),
            self.finance: set(),
        }
        for user, levels in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self._readable(user), levels)

    def test_portal_user_has_no_access_at_all(self):
        for model in ("credit.policy.archive.file", *CONTENT_MODELS):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal).search([])

    def test_only_owner_department_manager_and_credit_manager_change_a_file(self):
        file = self.files["department"]
        for user in (self.owner, self.dept_manager, self.credit_manager):
            file.with_user(user).write({"staff_count": 10})
        for user in (self.colleague, self.officer, self.general_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                file.with_user(user).write({"staff_count": 11})
        with self.assertRaises(AccessError):
            file.financial_ids.with_user(self.colleague).write({"revenue": 1.0})

    def test_a_broader_group_rule_of_another_module_does_not_widen_access(self):
        """Group rules add up (OR), but the file's rules are global (AND):
        a rule granting everything to salespeople changes nothing."""
        self.env["ir.rule"].create(
            {
                "name": "A careless module's rule",
                "model_id": self.env.ref("credit_policy_archive.model_credit_policy_archive_file").id,
                "groups": [Command.link(self.env.ref("sales_team.group_sale_salesman").id)],
                "domain_force": "[(1, '=', 1)]",
            }
        )
        self.assertEqual(self._readable(self.other_salesman), set())

    def test_content_cannot_be_moved_into_another_file(self):
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            self.files["personal"].financial_ids.with_user(self.owner).write({"file_id": self.files["company"].id})

    def test_salesperson_cannot_open_a_file_for_someone_else_or_give_it_away(self):
        partner = self.env["res.partner"].create({"name": "CPA new", "is_company": True})
        with self.assertRaises(AccessError):
            self.env["credit.policy.archive.file"].with_user(self.owner).create(
                {"partner_id": partner.id, "owner_id": self.colleague.id}
            )
        with self.assertRaises(AccessError):
            self.files["personal"].with_user(self.owner).write({"owner_id": self.colleague.id})
