from . import credit_policy_delivery_block_wizard
from . import credit_policy_limit_change_wizard
from . import credit_policy_order_check_wizard
from . import credit_policy_release_wizard
from . import credit_policy_watch_wizard
from . import base_partner_merge_automatic_wizard
