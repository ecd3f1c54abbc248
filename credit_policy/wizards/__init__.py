from . import credit_policy_order_check_wizard
