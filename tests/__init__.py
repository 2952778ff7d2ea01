"""The test suite. A package, so that ``tests/matching`` is ``tests.matching``: as a top-level
``matching`` it would shadow the matcher package of the checkout under test."""
