"""Use cases of Strongroom: one module per area, collaborators passed in, one unit of work per call."""
