"""The documentation site, generated from rules, specs and proof results."""
