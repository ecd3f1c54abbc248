from . import test_credit_file_confidentiality
