from . import test_credit_file_access_request
from . import test_credit_file_confidentiality
from . import test_credit_file_read_log
