"""Every user-facing string ships in each addon's .pot and is translated in zh_CN.po."""
import io
import os

import polib

from odoo.tools.translate import trans_export

from .common import GLUE_ADDONS, PRODUCT_ADDONS, ProductTransactionCase

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _msgids(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if entry.msgid}


class TestTranslations(ProductTransactionCase):
    def _exported(self, addon):
        buffer = io.BytesIO()
        trans_export(None, [addon], buffer, "po", self.env.cr)
        return polib.pofile(buffer.getvalue().decode())

    def test_pot_and_zh_cn_cover_every_string(self):
        for addon in PRODUCT_ADDONS + GLUE_ADDONS:
            with self.subTest(addon=addon):
                exported = _msgids(self._exported(addon))
                i18n = os.path.join(REPO_ROOT, addon, "i18n")
                pot = _msgids(polib.pofile(os.path.join(i18n, f"{addon}.pot")))
                zh_cn = polib.pofile(os.path.join(i18n, "zh_CN.po"))
                self.assertFalse(exported - pot, f"{addon}.pot is stale: run setup/i18n")
                self.assertFalse(exported - _msgids(zh_cn), f"{addon} zh_CN.po misses strings")
                untranslated = [e.msgid for e in zh_cn if e.msgid and not e.msgstr]
                self.assertFalse(untranslated, f"{addon} zh_CN.po has untranslated strings")

    def test_chinese_interface(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(list(PRODUCT_ADDONS), ["zh_CN"], overwrite=True)
        menu = self.env.ref("credit_policy.credit_policy_menu_root").with_context(lang="zh_CN")
        self.assertEqual(menu.name, "信用")
        field = self.env["ir.model.fields"]._get("res.partner", "credit_grade_id")
        self.assertEqual(field.with_context(lang="zh_CN").field_description, "信用等级")
        # The approval buttons OCA base_tier_validation injects into our forms
        # (credit_policy/i18n_extra: its own zh_CN leaves them untranslated).
        buttons = self.env.ref("base_tier_validation.tier_validation_buttons")
        self.assertIn("提交审批", buttons.with_context(lang="zh_CN").arch_db)
