"""The regenerated paper artifact: registry of figures/tables, claims table, LaTeX sources."""
