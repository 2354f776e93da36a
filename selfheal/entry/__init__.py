"""Entry points: where user code and selfheal meet.

`@self_healing` (decorator), the import hook and its module rewriter, the runtime hooks
instrumented code calls (`__selfheal_rt__`), `selfheal run`'s bootstrap, and the public
functions `repair()` / `install()` (api). This layer may import every layer below it and
is imported by nothing inside selfheal but the public namespace and the CLI.
"""
