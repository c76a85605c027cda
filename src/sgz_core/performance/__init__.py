"""Performance management (PERF-1 … PERF-3, issue 10): indicator systems, scorecards,
monitoring on a day, and staff over time. See ``docs/performance-management.md``.

``types`` is a leaf (the profile and the model use it); ``scoring`` and ``staffing`` build on
the model, the profile and the casework counts. Import from the submodules.
"""

__all__: list[str] = []  # import from the submodules
