"""base_tier_validation on credit documents speaks Chinese (issue 12, item 2):
its web components' texts reach the web client in Chinese, and what it writes in
the chatter of a credit document is the credit policy's own translatable text."""
import glob
import os
import re

from lxml import etree

from odoo.tests import new_test_user, tagged

import odoo.addons.base_tier_validation as base_tier_validation

from .common import CreditExposureCommon, use_chinese

# English sentences base_tier_validation writes in a chatter.
LIBRARY_SENTENCES = re.compile(
    r"A record to be reviewed|A review has been requested|A review was (accepted|rejected)|"
    r"The review has been reset|Next:"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
TRANSLATED_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")


def _component_texts():
    """The texts of base_tier_validation's web client templates."""
    root = os.path.dirname(base_tier_validation.__file__)
    texts = set()
    for path in glob.glob(os.path.join(root, "static", "src", "**", "*.xml"), recursive=True):
        for element in etree.parse(path).iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in TRANSLATED_ATTRIBUTES:
                if element.get(attribute):
                    texts.add(element.get(attribute).strip())
            for text in (element.text, element.tail):
                if text and text.strip():
                    texts.add(text.strip())
    return texts


@tagged("post_install", "-at_install")
class TestCreditApprovalInChinese(CreditExposureCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [cls.company.id]
        cls.salesman = new_test_user(
            cls.env, "zh_tier_sales", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.credit_manager = new_test_user(
            cls.env, "zh_tier_credit_mgr", groups="credit_policy.group_credit_policy_manager",
            company_id=cls.company.id, company_ids=company_ids,
        )
        use_chinese(cls.env, cls.salesman, cls.credit_manager)

    def _as(self, user):
        """What the web client of ``user`` calls with: his id and his language."""
        return self.env(user=user, context=dict(self.env.context, lang=user.lang))

    def _request(self, amount=500.0):
        request = self.env["credit.policy.temporary.limit"].with_env(self._as(self.salesman)).create(
            {"partner_id": self.customer.id, "amount": amount, "reason": "大单"}
        )
        request.action_request_approval()
        return request

    def _bodies(self, record, after=None):
        messages = record.sudo().message_ids.filtered(lambda m: m.body and (after is None or m.id > after))
        return [str(message.body) for message in messages]

    def test_web_client_translates_the_tier_components(self):
        modules = list(self.env.registry._init_modules)
        translations, __ = self.env["ir.http"].get_translations_for_webclient(modules, "zh_CN")
        # The web client merges every module's terms into one map.
        terms = {m["id"]: m["string"] for module in translations.values() for m in module["messages"]}
        texts = _component_texts()
        self.assertIn("Todo by", texts, "the reviews table of a credit document")
        self.assertIn("No reviews to do.", texts, "the reviews menu")
        missing = sorted(text for text in texts if not CJK.search(terms.get(text, "")))
        self.assertFalse(missing, "base_tier_validation's web texts without Chinese")
        self.assertEqual(terms["Todo by"], "待审批人")
        self.assertEqual(terms["Pending"], "待审批")
        # The same route in English has none of them translated.
        english, __ = self.env["ir.http"].get_translations_for_webclient(modules, "en_US")
        self.assertNotIn("Todo by", {m["id"] for module in english.values() for m in module["messages"]})

    def test_review_statuses_in_chinese(self):
        request = self._request()
        review = request.review_ids.with_env(self._as(self.salesman))
        self.assertTrue(CJK.search(review.display_status), review.display_status)
        # "Todo by": the reviewers' group, in Chinese (the library says "Group …").
        self.assertTrue(review.todo_by.startswith("用户组："), review.todo_by)

    def test_requesting_approval_writes_chinese(self):
        request = self._request()
        bodies = self._bodies(request)
        self.assertTrue(
            any(f"{self.salesman.name} 已提交审批" in body for body in bodies), bodies
        )
        self.assertFalse([body for body in bodies if LIBRARY_SENTENCES.search(body)])

    def test_approving_writes_chinese(self):
        # Above 50,000 the general manager approves after the credit manager;
        # he is told when the credit manager has approved.
        definition = self.env.ref("credit_policy.tier_definition_temporary_limit_general_manager")
        definition.notify_on_accepted = True
        request = self._request(60000.0)
        self.assertEqual(len(request.review_ids), 2)
        last = request.sudo().message_ids[:1].id
        request.with_env(self._as(self.credit_manager)).validate_tier()
        self.assertEqual(request.state, "to_approve", "waits for the general manager")
        gm_review = request.review_ids.filtered(lambda r: r.definition_id == definition)
        self.assertEqual(gm_review.status, "pending")
        # The approval label's "Next:" line.
        self.assertEqual(
            request.with_env(self._as(self.salesman)).next_review, f"下一步：{gm_review.name}"
        )
        bodies = self._bodies(request, after=last)
        self.assertTrue(any(f"{self.credit_manager.name} 已审批通过" in body for body in bodies), bodies)
        self.assertFalse([body for body in bodies if LIBRARY_SENTENCES.search(body)])

    def test_rejection_and_restart_messages_in_chinese(self):
        request = self._request().with_env(self._as(self.credit_manager))
        self.assertIn("已驳回", request._notify_rejected_review_body())
        self.assertIn("重新发起审批", request._notify_restarted_review_body())
        # The library's English, for comparison.
        english = request.with_context(lang="en_US")
        self.assertNotIn("A review was rejected", english._notify_rejected_review_body())

    def test_approval_step_names_in_chinese(self):
        """The approval steps the credit policy ships are named in the
        reviewer's language (the "Next:" line, the reviews table)."""
        steps = {
            "credit_policy.tier_definition_evaluation_regional_manager": "大区经理",
            "credit_policy.tier_definition_evaluation_general_manager": "总经理（终审）",
            "credit_policy.tier_definition_temporary_limit_credit_manager": "临时额度：信用经理",
        }
        for xmlid, chinese in steps.items():
            step = self.env.ref(xmlid)
            with self.subTest(step=xmlid):
                self.assertEqual(step.with_env(self._as(self.credit_manager)).name, chinese)
                self.assertNotRegex(step.with_context(lang="en_US").name, CJK)
