"""Sub-commands of the `selfheal` CLI, one module each (see `selfheal.cli`)."""
