"""The partnership's governance structure (the Terms of Reference's Figure 1), read from the registers.

One tree, built in a fixed number of queries, is drawn twice from the same source: as an SVG diagram
(laid out here, no script) and as the nested list that is its accessible equivalent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .models import Membership, PartnershipGroup


@dataclass(frozen=True)
class Node:
    name: str
    kind: str  # "partnership", "subgroup" or "linked" (a body outside the registers the ToR links to)
    # The chair's name (internal pages), the chair's seat (published pages), or "" for a vacant chair.
    chair: str = ""
    children: tuple[Node, ...] = field(default_factory=tuple)

    @property
    def has_chair_line(self) -> bool:
        return self.kind != "linked"

    def chair_text(self) -> str:
        if not self.has_chair_line:
            return _("Linked body named in the Terms of Reference.")
        if not self.chair:
            return _("Chair: vacant.")
        return _("Chair: %(chair)s.") % {"chair": self.chair}

    def walk(self) -> list[tuple[int, Node]]:
        rows = [(0, self)]
        for child in self.children:
            rows.extend((depth + 1, node) for depth, node in child.walk())
        return rows


def _linked_bodies() -> tuple[Node, ...]:
    # The ToR links the SVRP to these bodies, which the registers do not hold as groups.
    return (
        Node(name=_("Trauma Informed Executive Board"), kind="linked"),
        Node(name=_("Community Safety Partnerships"), kind="linked"),
    )


def governance_structure(*, public: bool, day: dt.date | None = None) -> Node | None:
    """The SVRP with its sub-groups (by the registers' order), their current chairs, and the bodies
    it links to. ``public`` names each chair's seat instead of the person, as /published/ does.
    Two queries, whatever the number of groups."""
    from django.utils import timezone

    day = day or timezone.localdate()
    groups = list(PartnershipGroup.objects.filter(archived_at__isnull=True).order_by("order", "name"))
    chairs: dict[int, Membership] = {}
    tenures = (
        Membership.objects.active_on(day)
        .filter(role=Membership.Role.CHAIR, seat__archived_at__isnull=True)
        .select_related("person", "seat")
        .order_by("start_date", "pk")
    )
    for tenure in tenures:
        chairs.setdefault(tenure.group_id, tenure)

    def chair_of(group: PartnershipGroup) -> str:
        tenure = chairs.get(group.pk)
        if tenure is None:
            return ""
        return tenure.seat.title if public else tenure.person.full_name

    by_parent: dict[int | None, list[PartnershipGroup]] = {}
    for group in groups:
        by_parent.setdefault(group.parent_id, []).append(group)

    def build(group: PartnershipGroup, seen: frozenset[int]) -> Node:
        children = tuple(
            build(child, seen | {group.pk}) for child in by_parent.get(group.pk, []) if child.pk not in seen
        )
        return Node(name=group.name, kind=group.kind, chair=chair_of(group), children=children)

    roots = [g for g in by_parent.get(None, []) if g.kind == PartnershipGroup.Kind.PARTNERSHIP]
    if not roots:
        return None
    root = build(roots[0], frozenset())
    return Node(name=root.name, kind=root.kind, chair=root.chair, children=root.children + _linked_bodies())


# Layout: one box a row, indented by depth, joined to its parent by an elbow line. A single column
# reads top to bottom like the list and scales down to a narrow screen through the viewBox.
WIDTH = 640
BOX_HEIGHT = 52
GAP = 14
INDENT = 40
MARGIN = 8


def svg(tree: Node, *, title_id: str = "structure-title", desc_id: str = "structure-desc") -> SafeString:
    rows = tree.walk()
    height = MARGIN * 2 + len(rows) * BOX_HEIGHT + (len(rows) - 1) * GAP
    parts = []
    parent_at: dict[int, int] = {}  # depth -> y of the last box drawn at that depth
    for index, (depth, node) in enumerate(rows):
        x = MARGIN + depth * INDENT
        y = MARGIN + index * (BOX_HEIGHT + GAP)
        if depth:
            px = MARGIN + (depth - 1) * INDENT + INDENT // 2
            py = parent_at[depth - 1] + BOX_HEIGHT
            dashed = ' stroke-dasharray="6 4"' if node.kind == "linked" else ""
            parts.append(
                format_html(
                    '<path d="M{} {} V{} H{}" fill="none" stroke="#0b0c0c" stroke-width="2"{}/>',
                    px,
                    py,
                    y + BOX_HEIGHT // 2,
                    x,
                    SafeString(dashed),
                )
            )
        parent_at[depth] = y
        fill = {"partnership": "#1d70b8", "subgroup": "#ffffff", "linked": "#f3f2f1"}[node.kind]
        ink = "#ffffff" if node.kind == "partnership" else "#0b0c0c"
        dashed_box = ' stroke-dasharray="6 4"' if node.kind == "linked" else ""
        parts.append(
            format_html(
                '<g><rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="#0b0c0c" '
                'stroke-width="2"{}/>'
                '<text x="{}" y="{}" fill="{}" font-size="16" font-weight="bold">{}</text>'
                '<text x="{}" y="{}" fill="{}" font-size="14">{}</text></g>',
                x,
                y,
                WIDTH - MARGIN - x,
                BOX_HEIGHT,
                fill,
                SafeString(dashed_box),
                x + 10,
                y + 21,
                ink,
                node.name,
                x + 10,
                y + 41,
                ink,
                node.chair_text(),
            )
        )
    description = " ".join(
        f"{node.name}: {node.chair_text()}" if depth == 0 else f"{node.name} ({node.chair_text()})"
        for depth, node in rows
    )
    return format_html(
        '<svg class="app-structure__diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{} {}" font-family="arial, sans-serif" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        WIDTH,
        height,
        title_id,
        desc_id,
        title_id,
        _("Governance structure of the partnership"),
        desc_id,
        description,
        format_html_join("", "{}", ((p,) for p in parts)),
    )


def nested_list(tree: Node) -> SafeString:
    """The same tree as ul > li > ul: the diagram's accessible equivalent."""

    def item(node: Node) -> SafeString:
        children = (
            format_html(
                '<ul class="govuk-list govuk-list--bullet">{}</ul>',
                format_html_join("", "{}", ((item(c),) for c in node.children)),
            )
            if node.children
            else ""
        )
        return format_html(
            '<li><span class="govuk-!-font-weight-bold">{}</span> – {}{}</li>',
            node.name,
            node.chair_text(),
            children,
        )

    return format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', item(tree))


def structure_context(*, public: bool) -> dict[str, SafeString] | None:
    """What templates/governance/partials/structure.html expects."""
    tree = governance_structure(public=public)
    if tree is None:
        return None
    return {"svg": svg(tree), "list": nested_list(tree)}
