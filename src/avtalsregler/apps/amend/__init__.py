"""Amendments: read, apply to a copy, re-verify, report."""
