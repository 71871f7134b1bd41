"""The two trees a request passes through: `Raw` (as parsed, any dialect) and `Node` (validated)."""

from __future__ import annotations

from dataclasses import dataclass, field

from strongroom.web.authnet.wire.schema import NS


@dataclass(slots=True)
class Raw:
    """One element as parsed from XML or JSON, before validation, in document order.

    `namespace` is the element's namespace URI ("" for none); JSON elements are always in the
    API's namespace. For an element with children, `text` holds all of its character data.
    """

    name: str
    namespace: str = NS
    text: str | None = None
    children: list[Raw] = field(default_factory=list)
    has_children: bool = False

    @property
    def in_namespace(self) -> bool:
        return self.namespace == NS


class Node(dict[str, "str | Node | list[str | Node]"]):
    """A validated complex element: simple children are strings, repeated ones lists."""

    def text(self, name: str) -> str | None:
        value = self.get(name)
        return value if isinstance(value, str) else None

    def node(self, name: str) -> Node | None:
        value = self.get(name)
        return value if isinstance(value, Node) else None

    def nodes(self, name: str) -> list[Node]:
        value = self.get(name)
        if isinstance(value, Node):
            return [value]
        if isinstance(value, list):
            return [item for item in value if isinstance(item, Node)]
        return []

    def texts(self, name: str) -> list[str]:
        value = self.get(name)
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [item for item in value if isinstance(item, str)]
        return []

    def flag(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        return value.strip() in ("true", "1")
