"""One parser per source layout; each returns a ParsedSource for the record builder."""
