from . import test_dunning_stage_selection
from . import test_dunning_run
