"""Reads: scoped querysets and plain data for pages, the API and exports. Who may see
what is decided in obligations.selectors.scope, once."""
