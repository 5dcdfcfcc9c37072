"""Applications: each takes a loaded project and returns data (none prints or parses arguments)."""
