"""The heal loop: capture, search (propose and verify), swap, store, replay.

`pipeline` is the only module that knows the order of the stages. The loop uses the
backends below it (`selfheal.engines`, `selfheal.store`, `selfheal.verify`) and the
function model (`selfheal.function`); it never calls up into the request path or the
entry points.
"""
