"""avtalsregler: the regional cooperation agreement of Region Jämtland Härjedalen and the
municipalities of Jämtlands län as executable rules with proved specs."""

__version__ = "0.1.0"
