"""The catalogue of hostile input, and where in the schema it can be put.

``POSITIONS`` is computed from the schema: every String, ID and Int argument of every root
query field, inside input objects and lists too, so a new field or filter is covered without
anyone remembering to add it. ``document(position)`` builds a query that puts one variable
``$v`` at that position and selects the result's fields two levels deep.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
)

__all__ = ["CURSORS", "LONG", "NUMBERS", "STRINGS", "Position", "document", "positions"]

INJECTION = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "x'}) MATCH (n) DETACH DELETE n RETURN 1 AS id //",
    "`Expert`) DETACH DELETE n //",
    "`id`",
    "$param",
    "$id",
    "{id: $id}",
    "'; CALL db.clearQueryCaches(); //",
    "\\' OR \\'1\\'=\\'1",
]
LUCENE = [
    "*", "?", "*:*", "fullName:* OR *:*", "a AND NOT b", '"unclosed', "(((", ")", "~",
    "nguyen~0.5", "duc^99", "\\", "/.*/", "[a TO z]", "{a TO z}", "-", "&&", "||", "!",
    '+-&&||!(){}[]^"~*?:\\/', "AND", "OR NOT",
]
UNICODE = [
    "\ud800",  # a lone high surrogate (sent as the JSON escape \ud800)
    "a\udfffb",  # a lone low surrogate inside a word
    "Nguye\u0302\u0303n \u0110u\u031bc",  # NFD: base letters and combining marks
    "\u202eevil\u202c",  # a right-to-left override
    "zero\u200bwidth\u200d\u2060joiner",
    "\ufeffbom",
    "\x00",
    "nul\x00in the middle",
    "\x07\x08\x1b[31mred\x1b[0m",
    "\r\n\t\v\f",
    "\U0001f600" * 100,
    "\uffff\ufffe",
]
OTHER = ["", " ", "null", "undefined", "../../etc/passwd", "<script>alert(1)</script>",
         "%00%27", "cg_" + "A" * 43, "a" * 10_000]
STRINGS = INJECTION + UNICODE + OTHER
# Cursors and ids: empty, garbage, base64 of the wrong JSON, of a huge offset, very long.
CURSORS = ["", "!!!", "eyJhIjoxfQ", "eyJvIjogLTF9", "eyJvIjogMWUzMDh9",
           "eyJvIjogOTk5OTk5OTk5OTk5OX0", "eyJvIjogIjEifQ", "bnVsbA", "A" * 10_000, "0", "-1"]
# 2**63, 2**31 (both beyond GraphQL's 32-bit Int), 1e308 as an Int, -1, 0 and the largest Int.
NUMBERS: list[int | float] = [2**63, 2**31, 1e308, -1, 0, 2**31 - 1, -(2**31)]
# 1 MB of text (the body limit is larger, so it reaches the resolvers; a body over the limit
# is tried once, in the test of request shapes).
LONG = ["ngu " * 250_000]


# Valid values of the input types a root field requires, for the parts the test leaves alone.
SAMPLES: dict[str, dict] = {
    "TaskInput": {"title": "Robot tự hành", "description": "Robot cho nhà máy.",
                  "requirements": [{"skill": "machine-learning"}],
                  "techListId": "qd-1131-2025", "areas": ["semiconductor-chips"]},
    "LocationInput": {"country": "VN"},
}
# Where the text goes to full-text search, Lucene's operators are tried too.
TEXT_ARGUMENTS = frozenset({"text", "query"})


@dataclass(frozen=True)
class Position:
    field: str  # root query field
    path: tuple[str, ...]  # argument, then input-object fields ("requirements[]" for a list)
    scalar: str  # String, ID or Int
    in_list: bool  # the leaf is a list of scalars

    def __str__(self) -> str:
        return ".".join((self.field, *self.path)) + ("[]" if self.in_list else "")


def _is_list(type_) -> bool:
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_,
                      GraphQLList)


def _walk(type_, path: tuple[str, ...], depth: int = 0):
    named = get_named_type(type_)
    if isinstance(named, GraphQLInputObjectType) and depth < 3:
        for name, sub in named.fields.items():
            step = name + "[]" if _is_list(sub.type) and isinstance(
                get_named_type(sub.type), GraphQLInputObjectType) else name
            yield from _walk(sub.type, (*path, step), depth + 1)
    elif named.name in ("String", "ID", "Int"):
        yield path, named.name, _is_list(type_)


def positions(schema: GraphQLSchema) -> list[Position]:
    assert schema.query_type is not None
    found = []
    for name, field in schema.query_type.fields.items():
        for arg_name, arg in field.args.items():
            for path, scalar, in_list in _walk(arg.type, (arg_name,)):
                found.append(Position(name, path, scalar, in_list))
    return found


def _required(arg) -> bool:
    return isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined


def _selection(type_, depth: int) -> str:
    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = ["__typename"]
    for name, field in named.fields.items():
        if name == "contact":  # reading contact details writes an audit event
            continue
        if any(_required(a) for a in field.args.values()):
            continue
        if is_leaf_type(get_named_type(field.type)):
            parts.append(name)
        elif depth > 1:
            inner = _selection(field.type, depth - 1)
            if inner:
                parts.append(f"{name} {{ {inner} }}")
    return " ".join(parts)


def _put(type_, base, steps: tuple[str, ...], leaf):
    """``base`` (a value of input type ``type_``, not changed; its sample when None) with
    ``leaf`` at ``steps``."""
    if not steps:
        return leaf
    named = get_named_type(type_)
    step, rest = steps[0], steps[1:]
    out = dict(base if base is not None else SAMPLES.get(named.name, {}))
    key = step.removesuffix("[]")
    sub_type = named.fields[key].type
    if step.endswith("[]"):
        first = (out.get(key) or [None])[0]
        out[key] = [_put(sub_type, first, rest, leaf)]
    else:
        out[key] = _put(sub_type, out.get(key), rest, leaf)
    return out


def document(schema: GraphQLSchema, position: Position) -> tuple[str, str]:
    """A query whose argument ``$a`` holds the value at ``position``, and the name of that
    argument; other required arguments come as variables ``$r_<name>``."""
    assert schema.query_type is not None
    field = schema.query_type.fields[position.field]
    arg = position.path[0]
    args = [f"{arg}: $a"]
    variables = [f"$a: {field.args[arg].type}"]
    for name, other in field.args.items():
        if name != arg and _required(other):
            args.append(f"{name}: $r_{name}")
            variables.append(f"$r_{name}: {other.type}")
    selection = _selection(field.type, 2)
    body = f"{position.field}({', '.join(args)})" + (f" {{ {selection} }}" if selection else "")
    return f"query({', '.join(variables)}) {{ {body} }}", arg


def argument(schema: GraphQLSchema, position: Position, value):
    """The value of the position's argument with ``value`` at the position (inside a valid
    sample of the argument's input type where it needs one)."""
    assert schema.query_type is not None
    arg_type = schema.query_type.fields[position.field].args[position.path[0]].type
    leaf = [value] if position.in_list else value
    return _put(arg_type, None, position.path[1:], leaf)
