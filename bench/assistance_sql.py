"""The hand-written SQL twins of the hardship figures of issue 11 item 10, as they were first
published here: {code: function(cursor, path on the cut-off, period[, campaign=…])}.

The twins themselves now live in bench/twins/assistance.py with every other assistance figure's;
this module only keeps the old name and shape for the callers that still use it.
"""

from __future__ import annotations

from twins.assistance import money, seed_twins

__all__ = ["money", "twins"]


def twins() -> dict:
    return seed_twins()
