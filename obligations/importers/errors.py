class DocumentError(Exception):
    """A document the importer cannot read; the message (Chinese) names the place."""
