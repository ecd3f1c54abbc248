"""The main credit screens speak Chinese: rendered in zh_CN, no English credit
term is left in the labels, help texts, texts and field descriptions that the
credit policy addons bring (issue 12, item 2)."""
import re

from lxml import etree

from .common import PRODUCT_ADDONS, ProductTransactionCase

# English words a Chinese credit screen must not show.
CREDIT_WORDS = re.compile(
    r"\b(Credit|Limit|Exposure|Overdue|Release|Grade|Evaluation|Temporary|Blocked|Dunning|"
    r"Over Limit|Repayment|Approval|"
    # base_tier_validation's statuses on the credit records
    r"Pending|Waiting|Validated|Rejected|Without validation)\b"
)
ATTRIBUTES = ("string", "help", "placeholder", "confirm", "title", "aria-label", "data-tooltip")

# (model, view xml id) of the main credit screens.
SCREENS = [
    ("res.partner", "base.view_partner_form"),
    ("res.partner", "credit_policy.res_partner_view_list_credit"),
    ("sale.order", "sale.view_order_form"),
    ("stock.picking", "stock.view_picking_form"),
    ("stock.picking", "stock.vpicktree"),
    ("credit.policy.delivery.block.wizard", "credit_policy.credit_policy_delivery_block_wizard_view_form"),
    ("credit.policy.order.check.wizard", "credit_policy.credit_policy_order_check_wizard_view_form"),
    ("credit.policy.release.wizard", "credit_policy.credit_policy_release_wizard_view_form"),
    ("credit.policy.release", "credit_policy.credit_policy_release_view_list"),
    ("credit.policy.release", "credit_policy.credit_policy_release_view_form"),
    ("credit.policy.evaluation", "credit_policy.credit_policy_evaluation_view_form"),
    ("credit.policy.evaluation", "credit_policy.credit_policy_evaluation_view_list"),
    ("credit.policy.temporary.limit", "credit_policy.credit_policy_temporary_limit_view_form"),
    ("credit.policy.temporary.limit", "credit_policy.credit_policy_temporary_limit_view_list"),
    ("credit.policy.status", "credit_policy.credit_policy_status_view_list"),
    ("credit.policy.limit.history", "credit_policy.credit_policy_limit_history_view_list"),
]


class TestChineseScreens(ProductTransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["base_tier_validation", *PRODUCT_ADDONS], ["zh_CN"], overwrite=True
        )
        cls.zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        data = cls.env["ir.model.data"].search(
            [("model", "=", "ir.model.fields"), ("module", "in", list(PRODUCT_ADDONS))]
        )
        fields = cls.env["ir.model.fields"].browse(data.mapped("res_id"))
        # The fields the credit policy addons define, per model.
        cls.product_fields = {(f.model, f.name) for f in fields}
        # The English texts of the credit policy's views (all inherited arches
        # of the product addons): only those are checked in a rendered arch.
        views = cls.env["ir.ui.view"].browse(
            cls.env["ir.model.data"]
            .search([("model", "=", "ir.ui.view"), ("module", "in", list(PRODUCT_ADDONS))])
            .mapped("res_id")
        )
        cls.product_texts = set()
        for view in views.with_context(lang="en_US"):
            for text in _texts(etree.fromstring(view.arch_db)):
                cls.product_texts.add(text)

    def _untranslated(self, texts):
        return sorted({t for t in texts if CREDIT_WORDS.search(t)})

    def test_screens_have_no_english_credit_term(self):
        found = []
        for model, xmlid in SCREENS:
            view = self.env.ref(xmlid)
            result = self.zh[model].get_views([(view.id, view.type)])
            arch = etree.fromstring(result["views"][view.type]["arch"])
            # Texts of the rendered arch that come from the product's views.
            texts = [t for t in _texts(arch) if t in self.product_texts]
            found += [f"{xmlid}: {t}" for t in self._untranslated(texts)]
            # Labels, help texts and selection labels of the product's fields.
            for model_name, desc in result["models"].items():
                for name, field in desc["fields"].items():
                    if (model_name, name) not in self.product_fields:
                        continue
                    texts = [field.get("string") or "", field.get("help") or ""]
                    texts += [label for __, label in field.get("selection") or []]
                    found += [f"{xmlid}: {model_name}.{name}: {t}" for t in self._untranslated(texts)]
        self.assertFalse(sorted(set(found)), "English credit terms on the credit screens in zh_CN")

    def test_credit_status_labels(self):
        for model in ("res.partner", "sale.order"):
            with self.subTest(model=model):
                selection = self.zh[model].fields_get(["credit_status"])["credit_status"]["selection"]
                labels = [label for __, label in selection]
                self.assertFalse(self._untranslated(labels), labels)
                self.assertNotIn("OK", labels, "a credit status OK is 正常 in Chinese")

    def test_credit_menus(self):
        root = self.env.ref("credit_policy.credit_policy_menu_root")
        menus = self.zh["ir.ui.menu"].search([("id", "child_of", root.id)])
        names = [menu.name for menu in menus]
        self.assertFalse(self._untranslated(names), names)
        self.assertEqual(root.with_context(lang="zh_CN").name, "信用")

    def test_glossary_tells_a_credit_hold_from_a_blocked_delivery(self):
        """POLICY.md glossary: a credit hold is 信用冻结, a blocked delivery
        发货冻结; a warehouse clerk must not read one for the other, and the
        order check's "block" mode is neither."""
        fields = self.zh["stock.picking"].fields_get(["credit_release_state"])["credit_release_state"]
        self.assertIn("发货冻结", fields["string"])
        self.assertIn("发货冻结", dict(fields["selection"])["blocked"])
        hold = self.zh["res.partner"].fields_get(["credit_on_hold"])["credit_on_hold"]["string"]
        self.assertEqual(hold, "信用冻结")
        release = self.zh["ir.model"]._get("credit.policy.release").with_context(lang="zh_CN").name
        self.assertIn("发货冻结", release)
        mode = dict(self.zh["res.company"].fields_get(["credit_check_mode"])["credit_check_mode"]["selection"])
        self.assertNotIn("冻结", mode["block"])
        menu = self.env.ref("credit_policy.credit_policy_release_menu").with_context(lang="zh_CN").name
        self.assertIn("发货冻结", menu)

    def test_the_check_finds_english(self):
        """The check itself: the same screens in English are full of credit terms."""
        view = self.env.ref("credit_policy.credit_policy_evaluation_view_form")
        result = self.env["credit.policy.evaluation"].with_context(lang="en_US").get_views([(view.id, "form")])
        arch = etree.fromstring(result["views"]["form"]["arch"])
        texts = [t for t in _texts(arch) if t in self.product_texts]
        self.assertTrue(self._untranslated(texts))


def _texts(node):
    """The user-facing texts of an arch: attributes and text nodes."""
    texts = []
    for element in node.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ATTRIBUTES:
            value = element.get(attribute)
            if value and value.strip():
                texts.append(value.strip())
        for text in (element.text, element.tail):
            if text and text.strip():
                texts.append(text.strip())
    return texts
