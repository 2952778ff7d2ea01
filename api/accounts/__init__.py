"""Accounts as the API shows them, and ``me``: who the caller is."""
