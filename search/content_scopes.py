"""The scope of the search index (``core.content_version``): a page of results is cached on it and
rendered again only when the index itself changes."""

SEARCH = "search"
