"""A young person's data rights: export everything stored about a pseudonym, erase on request."""
