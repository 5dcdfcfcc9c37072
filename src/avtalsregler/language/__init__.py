"""The expression language: parsing (a whitelisted subset of Python expressions), types, built-in
functions and the exact meaning. No YAML, no Z3."""
