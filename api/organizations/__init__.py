"""Organizations (universities, institutes, companies, agencies): types, loaders, queries."""
