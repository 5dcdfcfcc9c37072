"""avtalsregler: an agreement between a hub party and its member parties as executable rules with
proved specs, and a documentation site generated from them. The agreement itself (its text,
rules, specs, readings and data) is a project folder the engine reads."""

__version__ = "0.1.0"
