from . import test_dunning_stage_selection
from . import test_dunning_run
from . import test_dunning_credit_rules
from . import test_dunning_wizard
from . import test_dunning_letters
from . import test_dunning_run_lock
from . import test_dunning_access
from . import test_dunning_cron
