"""VAT for invoice lines (the module the review session patches).

`gross_cents` reads the reduced rate under the key "reduce"; the table calls it
"reduced", so every line for books raises KeyError. examples/review_session.py copies
this file into a temporary project and lets selfheal propose the fix there: this copy
is never modified.

The examples are what a reviewer reads first: they say what the right answers are, and
a candidate must reproduce them in the sandbox before it is even proposed. The mode
(`propose`) comes from the project's pyproject.toml.
"""

from __future__ import annotations

from selfheal import Example, self_healing

VAT = {
    "DE": {"standard": 0.19, "reduced": 0.07},
    "FR": {"standard": 0.20, "reduced": 0.055},
    "NL": {"standard": 0.21, "reduced": 0.09},
}


@self_healing(
    examples=[
        Example(args=(1000, "DE"), expected=1190),
        Example(args=(2000, "FR"), kwargs={"books": True}, expected=2110),
    ]
)
def gross_cents(net_cents: int, country: str, books: bool = False) -> int:
    """The price with VAT, in cents; books pay the reduced rate."""
    rates = VAT[country]
    rate = rates["reduce"] if books else rates["standard"]  # books: the reduced rate
    return net_cents + round(net_cents * rate)
