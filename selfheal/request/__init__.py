"""The request path: what the caller of a failing function experiences.

Judging whether an exception is a failure at all (`gate`, by the rule in `expected`), one
heal per failure at a time (`flight`), and the decision with its fallback and note
(`path`). It runs the heal loop below it (`selfheal.heal`) and must not know the loop's
stages.
"""
