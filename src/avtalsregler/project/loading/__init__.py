"""The loader, in parts: common checks, rule files, spec files and the register of readings."""
