"""``avtalsregler cache clear``: empty the proof cache."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("cache", help="the proof cache (clear it)",
                       description="The proof cache keeps the solver's answers, keyed by exactly what it was "
                                   "asked, in ROOT/.avtalsregler-cache (or $AVTALSREGLER_CACHE).")
    p.add_argument("action", choices=("clear",), help="clear: remove every cached answer and memoized check")
    p.set_defaults(run=run)


def run(args) -> int:
    from avtalsregler.prover.cache import ProofCache, default_folder
    from avtalsregler.prover.memo import Memo

    cache = ProofCache(default_folder(args.root))
    gone = cache.clear()
    checks = Memo(cache.folder).clear()
    print(f"removed {gone} cached answers and {checks} memoized checks from {cache.folder}")
    return 0
