"""The scopes of governance's content (``core.content_version``): each cached fragment names the ones
it reads, and is rendered again only when one of them changes."""

REGISTERS = "registers"
THEORY_OF_CHANGE = "theory-of-change"
MEETINGS = "meetings"
ATTENDANCE = "attendance"
ACTIONS = "actions"
