"""Computations offered by ``avtalsregler compute NAME``, one module each.

A module defines ``NAME`` (the sub-command, e.g. ``"ersattning"``), ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``; :mod:`avtalsregler.commands.compute`
finds every module here.
"""
