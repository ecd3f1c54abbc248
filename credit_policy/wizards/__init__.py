from . import credit_policy_limit_change_wizard
