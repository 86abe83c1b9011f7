"""The partnership's structure (ToR Figure 1) drawn from the registers, as an SVG and as a nested list."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from governance.models import Membership, PartnershipGroup
from governance.structure import governance_structure, nested_list, svg
from tests.governance.factories import (
    MembershipFactory,
    PartnershipGroupFactory,
    PersonFactory,
    SubgroupFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


@pytest.fixture
def registers():
    svrp = PartnershipGroupFactory(short_name="SVRP", name="Strategic Violence Reduction Partnership")
    tvrp = SubgroupFactory(
        short_name="TVRP", name="Tactical Violence Reduction Partnership", parent=svrp, order=1
    )
    dawg = SubgroupFactory(short_name="DAWG", name="Data and Analysis Working Group", parent=svrp, order=2)
    pcc = PersonFactory(full_name="Donna Jones")
    MembershipFactory(
        person=pcc, group=svrp, role=Membership.Role.CHAIR, seat__title="Police and Crime Commissioner"
    )
    MembershipFactory(person=PersonFactory(full_name="Sam Ward"), group=tvrp, role=Membership.Role.CHAIR)
    return {"svrp": svrp, "tvrp": tvrp, "dawg": dawg}


def test_the_tree_puts_the_sub_groups_under_the_svrp_in_the_registers_order_with_their_chairs(registers):
    tree = governance_structure(public=False, day=DAY)
    assert tree is not None
    assert tree.name == "Strategic Violence Reduction Partnership"
    assert tree.chair == "Donna Jones"
    names = [child.name for child in tree.children]
    assert names == [
        "Tactical Violence Reduction Partnership",
        "Data and Analysis Working Group",
        "Trauma Informed Executive Board",
        "Community Safety Partnerships",
    ]
    assert tree.children[0].chair == "Sam Ward"


def test_a_group_without_a_chair_shows_the_chair_as_vacant(registers):
    tree = governance_structure(public=False, day=DAY)
    assert tree is not None
    dawg = tree.children[1]
    assert dawg.chair == ""
    assert dawg.chair_text() == "Chair: vacant."
    assert "Data and Analysis Working Group (Chair: vacant.)" in svg(tree)


def test_an_ended_tenure_leaves_the_chair_vacant_and_a_new_group_appears(registers, client_for, board_member):
    Membership.objects.filter(group=registers["tvrp"]).update(end_date=dt.date(2023, 1, 31))
    SubgroupFactory(
        short_name="IEO", name="Interventions, Evaluations and Opportunities", parent=registers["svrp"]
    )
    html = client_for(board_member).get("/partnership/").text
    assert "Sam Ward" not in html
    assert "Interventions, Evaluations and Opportunities" in html
    assert "Tactical Violence Reduction Partnership</span> – Chair: vacant." in html


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.svg_texts: list[str] = []
        self.bold: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "text" and "svg" in self.stack:
            self.svg_texts.append(data)
        elif self.stack and self.stack[-1] == "span" and "li" in self.stack:
            self.bold.append(data)


def test_the_diagram_and_the_list_carry_the_same_names_and_chairs(registers):
    tree = governance_structure(public=False, day=DAY)
    assert tree is not None
    drawn, listed = _Texts(), _Texts()
    drawn.feed(str(svg(tree)))
    listed.feed(str(nested_list(tree)))
    assert drawn.svg_texts[0::2] == listed.bold
    assert len(listed.bold) == 5
    list_chairs = re.findall(r"</span> – ([^<]*)", str(nested_list(tree)))
    assert drawn.svg_texts[1::2] == list_chairs


def test_names_are_escaped(registers):
    registers["dawg"].name = "Data <b>& Analysis</b>"
    registers["dawg"].save()
    tree = governance_structure(public=False, day=DAY)
    assert tree is not None
    assert "<b>" not in str(svg(tree)) and "<b>" not in str(nested_list(tree))
    assert "Data &lt;b&gt;&amp; Analysis" in str(svg(tree))


def test_anyone_sees_the_structure_on_published_with_seats_not_people(client, registers):
    html = client.get("/published/").text
    assert 'role="img"' in html
    assert "Tactical Violence Reduction Partnership" in html
    assert "Chair: Police and Crime Commissioner." in html
    assert "Donna Jones" not in html and "Sam Ward" not in html
    assert "@" not in html
    assert "023 8000 0000" not in html


def test_members_see_the_chairs_names_on_the_partnership_page(registers, client_for, board_member):
    html = client_for(board_member).get("/partnership/").text
    assert "Chair: Donna Jones." in html
    assert 'aria-labelledby="structure-title structure-desc"' in html


def test_no_svrp_in_the_registers_shows_no_diagram(client):
    assert "structure-title" not in client.get("/published/").text


@pytest.mark.parametrize("extra", [0, 12])
def test_the_structure_reads_the_registers_in_a_fixed_number_of_queries(
    registers, extra, django_assert_num_queries
):
    for n in range(extra):
        group = SubgroupFactory(short_name=f"G{n}", name=f"Group {n}", parent=registers["svrp"])
        MembershipFactory(group=group, role=Membership.Role.CHAIR)
    with django_assert_num_queries(2):
        tree = governance_structure(public=False, day=DAY)
    assert tree is not None
    assert len(tree.children) == 4 + extra
    assert PartnershipGroup.objects.count() == 3 + extra
