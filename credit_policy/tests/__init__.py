from . import test_credit_access_rights
from . import test_credit_approval_chain
from . import test_credit_grade_computation
from . import test_credit_master_data
from . import test_credit_reevaluation_cron
