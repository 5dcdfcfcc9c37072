"""A project on disk: safe YAML with spans, the agreement's text, the model of rules, specs and
readings, the loader that checks them, and exact evaluation of a clause."""
