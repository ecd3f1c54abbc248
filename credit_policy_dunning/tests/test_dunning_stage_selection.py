from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.credit_policy_dunning import policy

S = policy.StageRule
LADDER = [S(1, 1, 1, 15), S(2, 2, 16, 30), S(3, 3, 31, 45), S(4, 4, 46, 60), S(5, 5, 61, 90), S(6, 6, 91, 0)]


@tagged("post_install", "-at_install")
class TestDunningStageSelection(TransactionCase):
    def _key(self, days):
        stage = policy.stage_for_days(LADDER, days)
        return stage and stage.key

    def test_stage_on_band_boundaries(self):
        expected = {0: None, 1: 1, 15: 1, 16: 2, 30: 2, 31: 3, 45: 3, 46: 4, 60: 4, 61: 5, 90: 5, 91: 6, 400: 6}
        for days, key in expected.items():
            with self.subTest(days=days):
                self.assertEqual(self._key(days), key)

    def test_gap_between_bands_keeps_the_stage_reached(self):
        ladder = [S(1, 1, 1, 10), S(2, 2, 20, 0)]
        self.assertEqual(policy.stage_for_days(ladder, 15).key, 1)
        self.assertEqual(policy.stage_for_days(ladder, 20).key, 2)

    def test_never_the_same_stage_twice_for_the_same_invoices(self):
        stage = LADDER[1]
        self.assertTrue(policy.stage_is_due(stage, 0), "never dunned")
        self.assertTrue(policy.stage_is_due(stage, 1), "only the first stage so far")
        self.assertFalse(policy.stage_is_due(stage, 2), "every invoice already received this stage")
        self.assertFalse(policy.stage_is_due(stage, 3))
        self.assertFalse(policy.stage_is_due(None, 0))

    def test_promise_pauses_then_escalates_when_broken(self):
        self.assertEqual(policy.promise_state(None, 10, 500, 500, 300, 0), None)
        self.assertEqual(policy.promise_state(10, 10, 500, 500, 300, 0), "pending")
        self.assertEqual(policy.promise_state(10, 11, 200, 500, 300, 0), "kept")
        self.assertEqual(policy.promise_state(10, 11, 205, 500, 300, 10), "kept", "small difference ignored")
        self.assertEqual(policy.promise_state(10, 11, 400, 500, 300, 10), "broken")
        current = LADDER[1]
        self.assertIsNone(policy.stage_for_customer(LADDER, 40, current, "pending"))
        self.assertEqual(policy.stage_for_customer(LADDER, 20, current, "broken").key, 3, "one stage up at once")
        self.assertEqual(policy.stage_for_customer(LADDER, 50, current, "broken").key, 4, "the days say more")
        self.assertEqual(policy.stage_for_customer(LADDER, 20, current, None).key, 2)

    def test_letter_count_rule(self):
        self.assertFalse(policy.letters_exceeded(5, 0), "0 disables")
        self.assertFalse(policy.letters_exceeded(3, 3))
        self.assertTrue(policy.letters_exceeded(4, 3))

    def test_default_ladder_has_the_six_stages_of_the_policy(self):
        ladder = self.env.ref("credit_policy_dunning.credit_policy_dunning_ladder_default")
        bands = [(s.sequence, s.days_from, s.days_to, s.action, s.shipping_effect) for s in ladder.stage_ids]
        self.assertEqual(
            bands,
            [
                (1, 1, 15, "phone", "none"),
                (2, 16, 30, "letter", "none"),
                (3, 31, 45, "letter", "none"),
                (4, 46, 60, "letter", "restrict"),
                (5, 61, 90, "lawyer", "stop"),
                (6, 91, 0, "termination", "stop"),
            ],
        )

    def test_overlapping_bands_are_refused(self):
        ladder = self.env.ref("credit_policy_dunning.credit_policy_dunning_ladder_default")
        with self.assertRaises(ValidationError):
            ladder.stage_ids.filtered(lambda s: s.sequence == 2).days_from = 10
        with self.assertRaises(ValidationError):
            ladder.stage_ids.filtered(lambda s: s.sequence == 3).days_to = 0
