"""One module per page: its HTML routes (`router`) and its JSON twins (`api`, under /api/)."""
