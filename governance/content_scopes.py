"""The scopes of governance's content (``core.content_version``): each cached fragment names the ones
it reads, and is rendered again only when one of them changes."""

REGISTERS = "registers"
THEORY_OF_CHANGE = "theory-of-change"
MEETINGS = "meetings"
# Decisions are recorded one by one during the meeting: apart from the rest of the meeting's record, so
# recording one leaves its register and the actions raised cached.
DECISIONS = "decisions"
ATTENDANCE = "attendance"
ACTIONS = "actions"
