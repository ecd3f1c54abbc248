from . import test_credit_exposure
from . import test_credit_policy_rules
from . import test_delivery_block
from . import test_delivery_block_concurrency
from . import test_delivery_block_rpc
from . import test_delivery_block_tour
