"""Pages escaped by construction (apps/docs/render.py): Safe text is the only thing the page
writer takes, every way of putting a value into Safe text escapes it, and ``Safe(...)`` of
anything but a literal is written only in render.py (an AST guard over apps/docs/)."""

from __future__ import annotations

import ast
from html.parser import HTMLParser
from pathlib import Path

import pytest

from avtalsregler.apps.docs import render
from avtalsregler.apps.docs.formula import agreement_html, show_value
from avtalsregler.apps.docs.owned import write_generated
from avtalsregler.apps.docs.pages import prose, quote
from avtalsregler.apps.docs.render import Safe
from avtalsregler.language.types import Type

from ..conftest import ROOT

DOCS = ROOT / "src" / "avtalsregler" / "apps" / "docs"
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "[x](javascript:alert(3))",
           "a | b", "*fet* _kursiv_ `kod`", "Rubrik {: onclick=alert(4) }"]


class _Shape(HTMLParser):
    """The tags and attribute names of a piece of HTML, and its text as written (entities kept)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tags: list = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag != "wbr":           # ident() lets a name wrap after "_": a break, not markup from the text
            self.tags.append((tag, tuple(name for name, _ in attrs)))

    def handle_endtag(self, tag):
        self.tags.append(("/", tag))

    def handle_data(self, data):
        self.text += data


def shape(out: str) -> _Shape:
    s = _Shape()
    s.feed(str(out))                 # plain text: the parser joins its buffer with +
    s.close()
    return s


def inert(make, text: str, markdown: bool = True) -> None:
    """``make(text)`` has the same tags and attributes as ``make("X")`` (the text adds none), and
    where Markdown reads it (``markdown``), the text adds no sign Markdown acts on."""
    out, plain = make(text), make("X")
    assert isinstance(out, Safe), out
    assert shape(out).tags == shape(plain).tags, str(out)
    if markdown:                   # the helper's own signs (a link's brackets) are there with "X" too
        assert [shape(out).text.count(c) for c in "|*_[]`{}"] == [shape(plain).text.count(c) for c in "|*_[]`{}"], \
            str(out)


# -- the guard ----------------------------------------------------------------------------------

def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name == "Safe" and not (len(node.args) == 1 and not node.keywords
                                       and isinstance(node.args[0], ast.Constant)
                                       and isinstance(node.args[0].value, str)):
                out.append(f"{path.name}:{node.lineno}: Safe() of a value")
            if name in ("esc", "_esc", "escape"):
                out.append(f"{path.name}:{node.lineno}: {name}() at a call site")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "html" \
                and node.attr == "escape":
            out.append(f"{path.name}:{node.lineno}: html.escape at a call site")
        if isinstance(node, ast.Attribute) and node.attr == "__new__":
            out.append(f"{path.name}:{node.lineno}: __new__ (Safe built around its constructor)")
        if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == "Safe" for b in node.bases):
            out.append(f"{path.name}:{node.lineno}: a subclass of Safe")
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and isinstance(node.value, ast.Name) \
                and node.value.id == "Safe":
            out.append(f"{path.name}:{node.lineno}: Safe under another name")
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("render"):
            out += [f"{path.name}:{node.lineno}: {a.name} imported under another name" for a in node.names
                    if a.asname and a.name == "Safe"]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            if "markupsafe" in names or (isinstance(node, ast.ImportFrom) and node.module == "markupsafe"):
                out.append(f"{path.name}:{node.lineno}: another Safe type")
    return out


def test_safe_of_a_value_is_written_only_in_render_py():
    found = [v for p in sorted(DOCS.glob("*.py")) if p.name != "render.py" for v in _violations(p)]
    assert found == []


def test_the_guard_finds_safe_of_a_value(tmp_path):
    """The guard can fail: each way around the escaping is found."""
    bad = tmp_path / "page.py"
    bad.write_text("import html\nfrom x import Safe, esc\nfrom x.render import Safe as S\n"
                   "def f(t):\n    return Safe(t) + Safe(f'{t}') + esc(t) + html.escape(t) + Safe('<p>ok</p>')\n"
                   "class Mine(Safe):\n    pass\nT = Safe\nu = str.__new__(Safe, '<b>')\n",
                   encoding="utf-8")
    assert len(_violations(bad)) == 8


# -- the writer -----------------------------------------------------------------------------------

def test_the_writer_refuses_a_plain_str_before_writing_anything(tmp_path):
    with pytest.raises(TypeError, match="b.md: a page must be built from Safe text"):
        write_generated(tmp_path / "gen", {"a.md": Safe("ok\n"), "b.md": "<script>alert(1)</script>\n"})
    assert not (tmp_path / "gen").exists()
    write_generated(tmp_path / "gen", {"a.md": Safe("ok\n")})
    assert (tmp_path / "gen" / "a.md").read_text(encoding="utf-8") == "ok\n"


def test_an_internal_type_error_is_exit_3_not_a_traceback(tmp_path, capsys, monkeypatch):
    """A page built from a plain str is a bug in the generator: exit 3 with one line."""
    from avtalsregler.apps.docs import site
    from avtalsregler.cli.main import main

    monkeypatch.setattr(site.tensions, "render_page", lambda project, results: "# plain str\n")
    code = main(["--root", str(ROOT), "docs", "--output", str(tmp_path / "site"), "--date", "2026-12-01"])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err and "Safe" in err


# -- every way into Safe text escapes ----------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_every_operation_escapes_what_is_not_safe(text):
    for make in (lambda t: Safe("<p>{}</p>").format(t), lambda t: Safe("<p>{x}</p>").format(x=t),
                 lambda t: Safe("<p>%s</p>") % t, lambda t: Safe("<p>%s %s</p>") % (t, t),
                 lambda t: Safe("<p>") + t, lambda t: t + Safe("</p>"), lambda t: Safe("<br>").join([t, t]),
                 lambda t: Safe("<p>X</p>").replace(Safe("X"), t), lambda t: Safe("<p>{a}</p>").format_map({"a": t}),
                 lambda t: Safe("<p>{}</p>").format(t).partition(Safe("<p>"))[2]):
        inert(make, text)


def test_safe_text_is_not_escaped_twice():
    inner = Safe("<b>{}</b>").format("a & b")
    assert Safe("<p>{}</p>").format(inner) == "<p><b>a &amp; b</b></p>"
    assert Safe("<br>").join([inner, "<"]) == "<b>a &amp; b</b><br>&lt;"


def test_a_format_spec_on_safe_text_is_refused_and_stripping_signs_too():
    with pytest.raises(TypeError):
        Safe("{:>20}").format(Safe("<b>x</b>"))
    with pytest.raises(ValueError):
        Safe("<b>x</b>").rstrip(">")
    assert Safe("{:03d}").format(7) == "007"          # a spec on a plain value: formatted, then escaped


def test_whitespace_is_folded_as_before():
    assert Safe("| {} |").format("a\n  b\t c ") == "| a b c |"


# -- every public helper that places a text ----------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_every_page_helper_makes_a_hostile_text_inert(text):
    for make in (lambda t: render.tag("span", t, title=t, id=t), lambda t: render.link(t, t, class_="namn"),
                 lambda t: render.md_link("s01.md", t), render.escape, quote,
                 lambda t: render.open_tag("div", id=t, class_=t) + Safe("</div>"),
                 lambda t: show_value("v", Type("enum", enum="k"), _enums(t)),
                 lambda t: show_value({"v": 1}, Type("map", enum="k", elem=Type("int")), _enums(t))):
        inert(make, text)
    if "`" not in text:                   # a backtick pair is code (an HTML <code>): see the next test
        inert(prose, text)
    # HTML-only helpers (their content is raw HTML, where Markdown does nothing): no tag, no attribute
    for make in (render.code, render.code_text, render.ident, render.attr, render.markdown_text, agreement_html,
                 lambda t: agreement_html(f"• {t}\n• {t}"), lambda t: render.code(t, title=t)):
        inert(make, text, markdown=False)
    assert "](" not in render.markdown_text(text)      # no link from a filled template either
    target = render.md_link(text, "x")[len("[x]("):-1]          # the target cannot end the link or a cell
    assert not any(c in target for c in " ()|<>\"`[]*"), str(target)


def test_prose_shows_a_backtick_pair_as_code_and_nothing_else():
    out = prose("se `<script>` och *x*")
    assert out == "se <code>&lt;script&gt;</code> och &#42;x&#42;"


def _enums(label: str) -> dict:
    """An enumeration whose one member's label (from a rule file) is ``label``."""
    from avtalsregler.language.types import EnumType

    return {"k": EnumType("k", ("v",), {"v": label}, "§1", None)}


def test_tag_and_attribute_names_are_checked():
    with pytest.raises(ValueError):
        render.tag("a onclick=x", "t")
    with pytest.raises(ValueError):
        render.tag("a", "t", **{"on click": "x"})


def test_nav_titles_are_escaped_for_the_theme():
    """MkDocs' theme environment does not autoescape: a heading of the agreement goes into every
    page's navigation through this."""
    assert render.nav_title('§1 "<img src=x onerror=alert(1)>" & </title>') == \
        "§1 &quot;‹img src=x onerror=alert(1)›&quot; &amp; ‹/title›"


def test_markdown_makes_no_attribute_from_a_text():
    """The attr_list extension (mkdocs.yml) reads "{: onclick=…}" at the end of a heading or a table
    cell as an attribute: escaped, the braces are text (Markdown as the site builds it)."""
    import markdown

    text = "Rubrik {: onclick=alert(4) } {onmouseover=alert(5)}"
    page = Safe("# §1 {}\n\n**Frågan:** {}\n\n| a | b |\n|---|---|\n| {} | x |\n").format(text, text, text)
    out = markdown.markdown(page, extensions=["attr_list", "md_in_html", "admonition", "tables", "toc"])
    assert "onclick=" not in out.replace("onclick=alert(4)", "") and 'onclick="' not in out
    assert 'onmouseover="' not in out and "<h1" in out and "<td>" in out
    raw = markdown.markdown("# §1 Rubrik {: onclick=alert(4) }", extensions=["attr_list"])   # the test can fail:
    assert 'onclick="alert(4)"' in raw                                                        # unescaped, an attribute


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "https://x.se"])
def test_a_link_leads_within_the_site(href):
    """Links are built from ids and page names; one with a scheme is a bug (exit 3), never a link."""
    with pytest.raises(ValueError, match="within"):
        render.link(href, "x")
    with pytest.raises(ValueError, match="within"):
        render.md_link(href, "x")
    assert render.link("../lasningar.html#r1", "x") == '<a href="../lasningar.html#r1">x</a>'
