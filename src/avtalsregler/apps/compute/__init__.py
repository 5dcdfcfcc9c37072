"""Computations declared by the rules (``computations:``), run on options and data files.

:func:`run_computation` returns a :class:`Result` (plain data); :func:`explanation` gives the
derivation of every value as Swedish lines. Nothing here prints or parses arguments.
"""

from avtalsregler.apps.compute.explain import explanation
from avtalsregler.apps.compute.run import Result, computations, find_computation, parse_option, run_computation

__all__ = ["Result", "computations", "explanation", "find_computation", "parse_option", "run_computation"]
