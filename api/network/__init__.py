"""The collaboration network: co-authors and co-project members, and paths between experts."""
