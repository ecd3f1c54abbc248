from . import test_kit_delivery_check
