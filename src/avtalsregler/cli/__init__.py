"""The command line: argument parsing and printing only. Every command loads the project, calls an
application (which returns data) and prints the result."""

from avtalsregler.cli.main import main

__all__ = ["main"]
