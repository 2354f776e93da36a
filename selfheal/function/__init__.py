"""The function model: what selfheal knows about one instrumented function.

Its source (`source`), the code variants generated from it (`codegen`), the calls
recorded while it works (`recorder`), its per-function options (`options`) and the
`Target` that ties them to the live function object (`target`). It is used by the heal
loop and the entry points, and imports only the models and the leaves.
"""
