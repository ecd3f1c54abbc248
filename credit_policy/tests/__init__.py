from . import test_credit_exposure
from . import test_credit_policy_rules
