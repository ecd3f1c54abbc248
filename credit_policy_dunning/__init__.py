from . import models
from . import wizards


def post_init_hook(env):
    """Companies that existed before the install get the standard ladder too."""
    env["res.company"].search([])._dunning_create_default_ladder()
