from . import test_credit_policy_rules
