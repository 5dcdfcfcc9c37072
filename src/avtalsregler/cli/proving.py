"""The options of every command that proves (``check``, ``docs``, ``amend check``):
``--no-cache`` and ``-j N``; :func:`use_proving_options` sets them for the whole command, so
that every check it makes shares one proof cache."""

from __future__ import annotations


def proving_options(p) -> None:
    p.add_argument("--no-cache", action="store_true",
                   help="solve every query again, without reading or writing the proof cache "
                        "(ROOT/.avtalsregler-cache, or $AVTALSREGLER_CACHE)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="prove clauses in N processes (default: the cores there are)")


def use_proving_options(args):
    """Configure the checks of this command; returns the proof cache (or ``None``)."""
    from avtalsregler.errors import DataError
    from avtalsregler.prover.cache import open_cache
    from avtalsregler.prover.check import configure
    from avtalsregler.prover.parallel import default_jobs

    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        raise DataError(f"-j {jobs} is not a number of processes", None, "give -j 1 or more")
    cache = None if getattr(args, "no_cache", False) else open_cache(args.root)
    configure(cache, jobs if jobs is not None else default_jobs())
    return cache
