"""The Z3 meaning of the language, proofs (generic members, obligations) and the check of a
project: every example computed exactly, every invariant proved."""
