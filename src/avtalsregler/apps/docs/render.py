"""HTML and Markdown for the site, escaped by construction.

:class:`Safe` is text that may be placed on a page as it is: a constant template written in the
code (``Safe("<p>{}</p>")``), or what a helper of this module built. Every operation that puts
something into a :class:`Safe` — :meth:`Safe.format`, ``+``, :meth:`Safe.join`, ``%``,
:meth:`Safe.replace` — escapes each piece that is not :class:`Safe` already, the way
:func:`_esc` does: HTML escaped (quotes too), Markdown's own signs (``| * _ [ ] ` { }``) written
as entities so a text can neither split a table nor become a link, emphasis, code or an
attribute (``{: onclick=…}``), and ordinary whitespace folded to one line. A text from a rule,
spec, reading, amendment or data file is
therefore escaped wherever it goes, without a call at the place it goes in.

The page writer (:func:`~avtalsregler.apps.docs.owned.write_generated`) takes :class:`Safe` only
(:func:`require`); a plain ``str`` is an internal error. ``Safe(...)`` of anything but a literal
is written only in this module (a test over ``apps/docs/`` enforces it).
"""

from __future__ import annotations

import html
import re
import string
from typing import Any

# Markdown's signs as entities: a table cell, emphasis, a link, code, and the attribute lists of
# the attr_list extension ("{: onclick=…}" at the end of a heading or a cell adds an attribute).
_BRACES = {"{": "&#123;", "}": "&#125;"}
_MD = str.maketrans({"|": "&#124;", "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "`": "&#96;", **_BRACES})
_NO_LINKS = str.maketrans({"[": "&#91;", "]": "&#93;", **_BRACES})
_HTML_ONLY = str.maketrans(_BRACES)
_TARGET = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "|": "%7C", "`": "%60", "[": "%5B", "]": "%5D",
                         "*": "%2A", "\n": "%0A", "\t": "%09", "\r": "%0D"})


def _fold(text: Any) -> str:
    """One line; ordinary whitespace folded, no-break spaces kept."""
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip()


def _esc(text: Any) -> str:
    """A text as inline HTML/Markdown: escaped, no Markdown syntax, one line."""
    return html.escape(_fold(text), quote=True).translate(_MD)


def escape(value: Any) -> Safe:
    """``value`` as page text: unchanged if it is :class:`Safe`, else escaped (:func:`_esc`)."""
    return value if isinstance(value, Safe) else Safe(_esc(value))


class _Escaping(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Safe):
            if format_spec:
                raise TypeError("a format spec on Safe text could cut its markup")
            return value
        return escape(format(value, format_spec))


_FORMATTER = _Escaping()


class Safe(str):
    """Text that is safe on a page: a template from the code or what a helper here built. Text
    added to it in any way is escaped unless it is :class:`Safe` itself."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> Safe:
        return Safe(_FORMATTER.vformat(self, args, kwargs))

    def format_map(self, mapping: Any) -> Safe:
        return Safe(_FORMATTER.vformat(self, (), mapping))

    def __mod__(self, args: Any) -> Safe:
        if isinstance(args, tuple):
            return Safe(str.__mod__(self, tuple(escape(a) for a in args)))
        if isinstance(args, dict):
            return Safe(str.__mod__(self, {k: escape(v) for k, v in args.items()}))
        return Safe(str.__mod__(self, escape(args)))

    def __add__(self, other: Any) -> Safe:
        if not isinstance(other, str):
            return NotImplemented
        return Safe(str.__add__(self, escape(other)))

    def __radd__(self, other: Any) -> Safe:
        if not isinstance(other, str):
            return NotImplemented
        return Safe(str.__add__(escape(other), self))

    def join(self, items: Any) -> Safe:
        return Safe(str.join(self, [escape(x) for x in items]))

    def replace(self, old: Any, new: Any, count: int = -1) -> Safe:
        return Safe(str.replace(self, escape(old), escape(new), count))

    def partition(self, sep: Any) -> tuple[Safe, Safe, Safe]:
        a, b, c = str.partition(self, escape(sep))
        return Safe(a), Safe(b), Safe(c)

    def split(self, sep: Any = None, maxsplit: int = -1) -> list[Safe]:
        return [Safe(x) for x in str.split(self, None if sep is None else escape(sep), maxsplit)]

    def _strip(self, how, chars: str | None) -> Safe:
        if chars is not None and chars.strip():
            raise ValueError("only whitespace is stripped from Safe text (other signs could cut its markup)")
        return Safe(how(self, chars))

    def strip(self, chars: str | None = None) -> Safe:
        return self._strip(str.strip, chars)

    def rstrip(self, chars: str | None = None) -> Safe:
        return self._strip(str.rstrip, chars)

    def lstrip(self, chars: str | None = None) -> Safe:
        return self._strip(str.lstrip, chars)


def require(content: Any, where: str) -> Safe:
    """The page writer's check: only :class:`Safe` text is written to a page."""
    if not isinstance(content, Safe):
        raise TypeError(f"{where}: a page must be built from Safe text (apps/docs/render.py), "
                        f"not {type(content).__name__}")
    return content


# -- the helpers that build Safe text from a value, each escaping it for its place -------------------

def attr(text: Any) -> Safe:
    """Text for an HTML attribute value (in double quotes)."""
    return Safe(html.escape(_fold(text), quote=True).replace("|", "&#124;"))


def code_text(name: Any) -> Safe:
    """A text as element content inside raw HTML: HTML-escaped only (Markdown leaves raw HTML
    alone); lines and spaces as they are."""
    return Safe(html.escape(str(name)).translate(_HTML_ONLY))


def code(name: Any, **attrs: Any) -> Safe:
    """An identifier or path as ``<code>`` (HTML-escaped only: Markdown leaves it alone)."""
    return Safe("<code{}>{}</code>").format(_attrs(attrs), code_text(name))


def ident(name: Any) -> Safe:
    """An identifier as element content (escaped) that may wrap after an underscore (``<wbr>``),
    never inside a word."""
    return Safe(html.escape(str(name)).translate(_HTML_ONLY).replace("_", "_<wbr>"))


def markdown_text(text: Any) -> Safe:
    """A template filled by a rule's ``facts:`` as Markdown: HTML escaped, no links or images
    (emphasis and code are kept: the templates write them)."""
    return Safe(html.escape(str(text), quote=False).translate(_NO_LINKS))


def hand_written(text: str) -> Safe:
    """A file of ``docs/`` written by hand (the start page's text, the reading guide, the
    project's own assets): the project's Markdown, reviewed like its code, placed as it is."""
    return Safe(text)


def nav_title(text: Any) -> str:
    """A title for the navigation in ``mkdocs.yml``. The theme places it unescaped in the
    navigation, and in ``<title>`` through Jinja's ``striptags``, which unescapes it again: so it
    is escaped once, and ``<``/``>`` are written as ‹ › (no entity there can become a tag, nor
    end the ``<title>``)."""
    return html.escape(_fold(text).replace("<", "‹").replace(">", "›"), quote=True)


def _attrs(attrs: dict[str, Any]) -> Safe:
    return Safe("").join(Safe(' {}="{}"').format(Safe(_attr_name(k)), attr(v))
                         for k, v in attrs.items() if v is not None)


def _attr_name(key: str) -> str:
    name = key.rstrip("_").replace("_", "-")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise ValueError(f"not an attribute name: {key!r}")
    return name


def tag(name: str, content: Any = "", **attrs: Any) -> Safe:
    """An HTML element: every attribute value is escaped (``class_`` is written ``class``), and
    so is the content unless it is :class:`Safe`. Ids, links and names from rule files reach a
    page only through here, never pasted raw."""
    if not re.fullmatch(r"[a-z][a-z0-9]*", name):
        raise ValueError(f"not an element name: {name!r}")
    return Safe("<{}{}>{}</{}>").format(Safe(name), _attrs(attrs), content, Safe(name))


def open_tag(name: str, **attrs: Any) -> Safe:
    """The start tag of an element whose content follows on the next lines (a ``<div>``),
    its attribute values escaped."""
    if not re.fullmatch(r"[a-z][a-z0-9]*", name):
        raise ValueError(f"not an element name: {name!r}")
    return Safe("<{}{}>").format(Safe(name), _attrs(attrs))


_SCHEME = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*:")


def _within(href: Any) -> str:
    """A link of the site leads within it: a relative address or an anchor, never a scheme
    (``javascript:``, ``data:``, another server); anything else is a bug of the generator."""
    href = str(href)
    if _SCHEME.match(href):
        raise ValueError(f"a link of the site must lead within it, not to {href[:40]!r}")
    return href


def link(href: str, content: Any, **attrs: Any) -> Safe:
    """``<a href=…>`` within the site: the address and the text escaped (the text unless
    :class:`Safe`)."""
    return tag("a", content, href=_within(href), **attrs)


def md_target(href: Any) -> Safe:
    """The target of a Markdown link ``[…](…)`` (a page of the site, an anchor; no scheme):
    escaped, with no space or parenthesis that could end it."""
    text = html.escape(_within(href), quote=True)
    return Safe(text.translate(_TARGET))


def md_link(href: Any, content: Any) -> Safe:
    """A Markdown link (MkDocs rewrites a ``.md`` target to the built page)."""
    return Safe("[{}]({})").format(content, md_target(href))
