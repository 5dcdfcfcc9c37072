"""Fast unit tests of the prover package, one file per module (issue 18: mutation testing)."""
