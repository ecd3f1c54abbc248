from . import test_credit_access
from . import test_credit_escalation
from . import test_credit_exposure
from . import test_credit_group
from . import test_credit_order_check
from . import test_credit_policy_rules
from . import test_credit_temporary_limit
