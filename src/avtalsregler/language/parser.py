"""The expression language: a whitelisted subset of Python's expression syntax, parsed with
``ast`` (never ``eval``), names resolved and types checked at load time.

Allowed: integer, boolean and text literals (text only as an enumeration value); names;
``+ - * / // %``; comparisons (chains allowed); ``and or not``; ``A if C else B``;
indexing a map ``m[k]``; calls of built-in functions; and the binders
``forall(k in E, body)``, ``exists(k in E, body)``, ``sum(k in E, body)``,
``count(k in E, body)`` over an enumeration ``E``, and ``per(k in E, body)``, the map that gives
each member ``k`` of ``E`` the value of ``body``. Everything else is refused.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable

from avtalsregler.errors import MAX_DIGITS, ExprError, Span, did_you_mean
from avtalsregler.language.expr import E, Scope, binop, coerce_enum, compare, expect_type, join
from avtalsregler.language.types import BOOL, INT, LITERAL_INT, Type

BINDERS = ("forall", "exists", "sum", "count", "per")
_MAX_LEN = 4000
_MAX_DEPTH = 60
MAX_EXPANSION = 10_000          # cases of nested binders: forall(a in E, forall(b in E, …)) is |E|·|E|
_OPERAND_BEFORE = ("", "(", "[", "{", ",", "+", "-", "*", "/", "//", "%", "<", "<=", ">", ">=", "==", "!=",
                   "not", "and", "or", "if", "else", "~")

_CONSTRUCT_HINTS = {
    ast.Attribute: ("attribute access (a.b)", "use a plain name; attributes are not part of the language"),
    ast.Lambda: ("a lambda", "use forall/exists/sum/count(k in ENUM, …) to range over an enumeration"),
    ast.ListComp: ("a comprehension", "use forall/exists/sum/count(k in ENUM, …)"),
    ast.SetComp: ("a comprehension", "use forall/exists/sum/count(k in ENUM, …)"),
    ast.DictComp: ("a comprehension", "use forall/exists/sum/count(k in ENUM, …)"),
    ast.GeneratorExp: ("a comprehension", "use forall/exists/sum/count(k in ENUM, …)"),
    ast.NamedExpr: ("an assignment expression (:=)", "give the value a name under 'definitions'"),
    ast.Await: ("await", None),
    ast.Yield: ("yield", None),
    ast.JoinedStr: ("an f-string", "texts are only used as enumeration values"),
    ast.List: ("a list literal", "use a map input or an enumeration"),
    ast.Tuple: ("a tuple", None),
    ast.Dict: ("a dict literal", "use a map input or an enumeration"),
    ast.Set: ("a set literal", None),
    ast.Starred: ("*args", None),
    ast.Slice: ("a slice", "index a map with one key"),
}

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%"}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


class Parser:
    def __init__(self, text: str, origin: Span, style: str | None, scope: Scope,
                 place: Callable[[int], Span] | None = None):
        self.text = text
        self.origin = origin
        self.style = style
        self.scope = scope
        self.place = place          # offset in ``text`` → its place in the file (project/scalarmap.py)
        # what Python parses: a flow scalar without its surrounding white space
        self.source = text if style in ("|", ">") else text.strip()
        self.lead = text.index(self.source) if self.source else 0
        self.lines = self.source.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    # -- positions --------------------------------------------------------------------------
    def span(self, node: ast.expr) -> Span:
        line = min(max(node.lineno, 1), len(self.lines)) - 1
        col = len(self.lines[line].encode("utf-8")[:node.col_offset].decode("utf-8", "replace"))  # utf-8 bytes
        return self.at(line, col)

    def at(self, line: int, col: int) -> Span:
        """The place of the character at ``line`` (0-based) and ``col`` (0-based, in characters)
        of the parsed text: in the file, where the loader says where each character is."""
        offset = self.lead + self.starts[line] + col
        if self.place is not None:
            return self.place(offset)
        line = self.text.count("\n", 0, offset)            # no file: the text as if laid out at origin
        col = offset - (self.text.rfind("\n", 0, offset) + 1)
        if self.style in ("|", ">"):
            return Span(self.origin.path, self.origin.line + 1 + line, self.origin.col + 2 + col)
        quote = 1 if self.style in ("'", '"') else 0
        if line == 0:
            return Span(self.origin.path, self.origin.line, self.origin.col + quote + col)
        return Span(self.origin.path, self.origin.line + line, col + 1)

    def fail(self, node, message: str, hint: str | None = None):
        raise ExprError(message, self.span(node), hint)

    # -- entry ------------------------------------------------------------------------------
    def parse(self) -> E:
        if len(self.text) > _MAX_LEN:
            raise ExprError(f"expression is {len(self.text)} characters long, more than {_MAX_LEN}",
                            self.origin, "split it into named definitions")
        self.nesting()
        try:
            tree = ast.parse(self.source, mode="eval")
        except SyntaxError as exc:            # its offset counts characters (ast's col_offset: bytes)
            line = min(max(exc.lineno or 1, 1), len(self.lines)) - 1
            col = min(max((exc.offset or 1) - 1, 0), len(self.lines[line]))
            raise ExprError(f"syntax error in expression: {exc.msg}", self.at(line, col),
                            "expressions use Python-like syntax: a + b, min(a, b), x if c else y") from None
        except (RecursionError, MemoryError):
            raise ExprError("expression is nested too deeply", self.origin, "split it into named definitions") from None
        return self.check(tree.body, 0)

    def nesting(self) -> None:
        """Refuse deep nesting (brackets, chains of unary operators) before Python's own parser
        recurses into it, at the place where the bound is passed."""
        depth = run = 0
        prev = ""
        try:
            for tok in tokenize.generate_tokens(io.StringIO(self.source).readline):
                if tok.type == tokenize.OP and tok.string in "([{":
                    depth += 1
                elif tok.type == tokenize.OP and tok.string in ")]}":
                    depth -= 1
                unary = tok.string in ("-", "+", "~", "not") and (run or prev in _OPERAND_BEFORE)
                run = run + 1 if unary else 0
                prev = tok.string if tok.type == tokenize.OP or tok.string in ("not", "and", "or", "if", "else") \
                    else "x"
                if depth + run > _MAX_DEPTH:
                    raise ExprError(f"expression is nested more than {_MAX_DEPTH} deep",   # (columns: characters)
                                    self.at(tok.start[0] - 1, tok.start[1]), "split it into named definitions")
        except (tokenize.TokenError, SyntaxError, IndexError):
            return                                   # Python's parser reports the syntax error

    # -- checking ---------------------------------------------------------------------------
    def check(self, node: ast.AST, depth: int) -> E:
        if depth > _MAX_DEPTH:
            self.fail(node, "expression is nested too deeply", "split it into named definitions")
        d = depth + 1
        sp = self.span(node)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return E("const", (v,), BOOL, sp)
            if isinstance(v, int):
                if abs(v) >= 10 ** MAX_DIGITS:
                    self.fail(node, f"a number with more than {MAX_DIGITS} digits", "no amount or count needs that many")
                return E("const", (v,), LITERAL_INT, sp)
            if isinstance(v, str):
                return E("const", (v,), Type("enum", enum=None), sp)
            if isinstance(v, float):
                self.fail(node, f"the decimal number {v!r} is not allowed: the language has no floats",
                          "write an exact fraction such as 1/2, a percentage parameter, or whole öre")
            self.fail(node, f"the literal {v!r} is not allowed")
        if isinstance(node, ast.Name):
            return self.name(node, sp)
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                if isinstance(node.op, ast.Pow):
                    self.fail(node, "'**' (power) is not allowed",
                              "write the multiplication out, e.g. x * x")
                self.fail(node, f"the operator {type(node.op).__name__} is not allowed",
                          "allowed: + - * / // %")
            return binop(op, self.check(node.left, d), self.check(node.right, d), sp)
        if isinstance(node, ast.UnaryOp):
            x = self.check(node.operand, d)
            if isinstance(node.op, ast.Not):
                return E("not", (expect_type(x, BOOL, "'not'"),), BOOL, sp)
            if isinstance(node.op, ast.USub):
                if not x.type.numeric:
                    raise ExprError(f"cannot negate a value of type {x.type}", sp)
                return E("neg", (x,), x.type, sp)
            if isinstance(node.op, ast.UAdd):
                return x
            self.fail(node, "'~' is not allowed")
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            items = tuple(expect_type(self.check(v, d), BOOL, f"'{op}'") for v in node.values)
            return E(op, items, BOOL, sp)
        if isinstance(node, ast.Compare):
            left = self.check(node.left, d)
            parts = []
            for opnode, right_node in zip(node.ops, node.comparators, strict=True):
                op = _CMPOPS.get(type(opnode))
                if op is None:
                    self.fail(node, f"the comparison {type(opnode).__name__} is not allowed here",
                              "'in' is only used inside forall/exists/sum/count(k in ENUM, …)")
                right = self.check(right_node, d)
                parts.append(compare(op, left, right, sp, self.scope.enums))
                left = right
            return parts[0] if len(parts) == 1 else E("and", tuple(parts), BOOL, sp)
        if isinstance(node, ast.IfExp):
            c = expect_type(self.check(node.test, d), BOOL, "the condition of 'if'")
            a, b = self.check(node.body, d), self.check(node.orelse, d)
            a, b, t = join(a, b, sp, "the two branches of 'if'", self.scope.enums)
            return E("if", (c, a, b), t, sp)
        if isinstance(node, ast.Subscript):
            m = self.check(node.value, d)
            if m.type.kind != "map":
                self.fail(node, f"only maps can be indexed, not a value of type {m.type}")
            k = self.check(node.slice, d)
            k = coerce_enum(k, Type("enum", enum=m.type.enum), self.scope.enums)
            return E("index", (m, k), m.type.elem, sp)
        if isinstance(node, ast.Call):
            return self.call(node, sp, d)
        what, hint = _CONSTRUCT_HINTS.get(type(node), (type(node).__name__, None))
        self.fail(node, f"{what} is not allowed in the expression language", hint)

    def name(self, node: ast.Name, sp: Span) -> E:
        n = node.id
        if n in self.scope.bound:
            return E("bound", (n,), self.scope.bound[n], sp)
        if n in self.scope.names:
            return E("var", (n,), self.scope.names[n], sp)
        known = list(self.scope.names) + list(self.scope.bound)
        hint = did_you_mean(n, known) or ("known names: " + ", ".join(sorted(known)) if known else None)
        if n in self.scope.builtins:
            hint = f"{n!r} is a function: call it as {n}(…)"
        raise ExprError(f"unknown name {n!r}", sp, hint)

    def call(self, node: ast.Call, sp: Span, d: int) -> E:
        if not isinstance(node.func, ast.Name):
            self.fail(node.func, "only built-in functions can be called, by their plain name",
                      "allowed: " + ", ".join(sorted(list(self.scope.builtins) + list(BINDERS))))
        fname = node.func.id
        if node.keywords:
            self.fail(node, f"{fname}() takes no keyword arguments")
        if any(isinstance(a, ast.Starred) for a in node.args):
            self.fail(node, "*args is not allowed")
        if fname in BINDERS:
            return self.binder(fname, node, sp, d)
        fn = self.scope.builtins.get(fname)
        if fn is None:
            allowed = sorted(list(self.scope.builtins) + list(BINDERS))
            self.fail(node.func, f"{fname!r} is not a built-in function",
                      did_you_mean(fname, allowed) or "allowed: " + ", ".join(allowed))
        args = tuple(self.check(a, d) for a in node.args)
        args, result = fn.check(args, sp, self.scope.enums)
        return E("call", args, result, sp, fn)

    def binder(self, kind: str, node: ast.Call, sp: Span, d: int) -> E:
        usage = f"write {kind}(k in ENUMERATION, expression)"
        for a in node.args:
            if isinstance(a, (ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp, ast.Lambda)):
                self.fail(a, f"{_CONSTRUCT_HINTS[type(a)][0]} is not allowed in the expression language", usage)
        if len(node.args) != 2:
            self.fail(node, f"{kind}() takes two arguments", usage)
        head = node.args[0]
        if not (isinstance(head, ast.Compare) and len(head.ops) == 1 and isinstance(head.ops[0], ast.In)
                and isinstance(head.left, ast.Name) and isinstance(head.comparators[0], ast.Name)):
            self.fail(head, f"the first argument of {kind}() must be 'k in ENUMERATION'", usage)
        var, enum = head.left.id, head.comparators[0].id
        if enum not in self.scope.enums:
            self.fail(head.comparators[0], f"unknown enumeration {enum!r}",
                      did_you_mean(enum, self.scope.enums) or "enumerations: " + ", ".join(sorted(self.scope.enums)))
        if var in self.scope.names or var in self.scope.bound:
            self.fail(head.left, f"the bound name {var!r} hides another name", "choose another letter")
        size = len(self.scope.enums[enum].values)
        for t in self.scope.bound.values():           # each an enumeration (bound below)
            size *= len(self.scope.enums[t.enum].values)
        if size > MAX_EXPANSION:
            self.fail(node, f"{kind}({var} in {enum}, …) inside the binders around it expands to {size} "
                            f"cases, more than {MAX_EXPANSION}",
                      "nest fewer binders: name the inner part under 'definitions'")
        inner = Parser(self.text, self.origin, self.style, self.scope.with_bound(var, Type("enum", enum=enum)),
                       self.place)
        body = inner.check(node.args[1], d)
        if kind == "per":
            if body.type.kind == "enum" and body.type.enum is None:
                raise ExprError("per() cannot build a map of texts", body.span)
            t = Type("map", enum=enum, elem=body.type)
        elif kind in ("forall", "exists", "count"):
            expect_type(body, BOOL, f"the body of {kind}()")
            t = BOOL if kind != "count" else INT
        else:
            if not body.type.numeric:
                raise ExprError(f"sum() adds numbers, not {body.type}", body.span)
            t = body.type
        return E(kind, (var, body), t, sp, enum)


def parse_expr(text: str, origin: Span, style: str | None, scope: Scope,
               place: Callable[[int], Span] | None = None) -> E:
    """Parse and check ``text``; ``origin`` is where the YAML scalar starts, ``place`` (where the
    loader gives it) the file position of each offset in ``text``: YAML folds and unescapes a
    scalar, so only the loader knows where a character of the value was written."""
    return Parser(text, origin, style, scope, place).parse()
