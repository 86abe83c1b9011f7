"""The scope of the Crest tracker's content (``core.content_version``)."""

CREST = "crest"
