"""Fast unit tests of the language package, one file per module (issue 18: mutation testing)."""
