"""Browser pages: thin views that parse input, call a service or selector, and render."""
