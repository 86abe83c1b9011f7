"""The governance app's models, split by concern (CONVENTIONS.md)."""

from .actions import Action, ActionUpdate
from .base import RAG, RAG_COLOURS, Archivable, TimeStamped
from .meetings import (
    AgendaItem,
    Attendance,
    Decision,
    DeclarationOfInterest,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    Representation,
    RepresentationTally,
    SubgroupUpdate,
)
from .registers import (
    DutyStatus,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    Sector,
    TermsOfReference,
    TermsOfReferenceSection,
    TheoryOfChangeActivity,
    svrp_lookup,
)
from .reminders import Reminder

__all__ = [
    "svrp_lookup",
    "RAG",
    "RAG_COLOURS",
    "Action",
    "ActionUpdate",
    "AgendaItem",
    "Archivable",
    "Attendance",
    "Decision",
    "DeclarationOfInterest",
    "DutyStatus",
    "Meeting",
    "Membership",
    "MinuteEntry",
    "Minutes",
    "Organisation",
    "Paper",
    "PartnershipGroup",
    "Person",
    "Reminder",
    "Representation",
    "RepresentationTally",
    "Seat",
    "Sector",
    "SubgroupUpdate",
    "TermsOfReference",
    "TermsOfReferenceSection",
    "TheoryOfChangeActivity",
    "TimeStamped",
]
