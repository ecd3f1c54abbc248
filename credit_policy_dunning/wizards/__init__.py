from . import credit_policy_dunning_wizard
