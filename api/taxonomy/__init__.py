"""The strategic-technology lists and the skill taxonomy: types, loaders and queries."""
