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
    Undefined,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)

__all__ = ["STRINGS", "CURSORS", "NUMBERS", "LONG", "Position", "positions", "document"]

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
STRINGS = INJECTION + LUCENE + UNICODE + OTHER
# Cursors and ids: empty, garbage, base64 of the wrong JSON, of a huge offset, very long.
CURSORS = ["", "!!!", "eyJhIjoxfQ", "eyJvIjogLTF9", "eyJvIjogMWUzMDh9", "eyJvIjogOTk5OTk5OTk5OTk5OX0",
           "eyJvIjogIjEifQ", "bnVsbA", "A" * 10_000, "0", "-1"]
# 2**63, 2**31 (both beyond GraphQL's 32-bit Int), 1e308 as an Int, -1, 0 and the largest Int.
NUMBERS: list[int | float] = [2**63, 2**31, 1e308, -1, 0, 2**31 - 1, -(2**31)]
# 1 MB of text (the body limit is larger, so it reaches the resolvers; a body over the limit
# is tried once, in the test of request shapes).
LONG = ["ngu " * 250_000]


@dataclass(frozen=True)
class Position:
    field: str  # root query field
    path: tuple[str, ...]  # argument, then input-object fields
    scalar: str  # String, ID or Int
    type: str  # the variable's type: the argument's, or its items' for a list
    in_list: bool

    def __str__(self) -> str:
        return ".".join((self.field, *self.path)) + ("[]" if self.in_list else "")


def _walk(type_, path: tuple[str, ...], depth: int = 0):
    nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    named = get_named_type(type_)
    if isinstance(named, GraphQLInputObjectType) and depth < 3:
        for name, sub in named.fields.items():
            yield from _walk(sub.type, (*path, name), depth + 1)
    elif named.name in ("String", "ID", "Int"):
        if isinstance(nullable, GraphQLList):
            yield path, named.name, str(nullable.of_type), True
        else:
            yield path, named.name, str(type_), False


def positions(schema: GraphQLSchema) -> list[Position]:
    assert schema.query_type is not None
    found = []
    for name, field in schema.query_type.fields.items():
        for arg_name, arg in field.args.items():
            for path, scalar, type_, in_list in _walk(arg.type, (arg_name,)):
                found.append(Position(name, path, scalar, type_, in_list))
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


def document(schema: GraphQLSchema, position: Position, required: dict[str, str]) -> str:
    """A query with ``$v`` at ``position``; other required arguments of the field come from
    ``required`` (argument name -> a valid id) as variables ``$r_<name>``."""
    assert schema.query_type is not None
    field = schema.query_type.fields[position.field]
    value = "[$v]" if position.in_list else "$v"
    for key in reversed(position.path[1:]):
        value = f"{{{key}: {value}}}"
    args = [f"{position.path[0]}: {value}"]
    variables = [f"$v: {position.type}"]
    for name, arg in field.args.items():
        if name != position.path[0] and _required(arg):
            args.append(f"{name}: $r_{name}")
            variables.append(f"$r_{name}: {arg.type}")
    selection = _selection(field.type, 3)
    body = f"{position.field}({', '.join(args)})" + (f" {{ {selection} }}" if selection else "")
    return f"query({', '.join(variables)}) {{ {body} }}"
