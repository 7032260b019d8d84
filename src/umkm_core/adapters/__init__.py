"""Adapters: everything that reads or writes a format.

Rosters, application and progress rows, programme files, follow-up plans, tables and
their export, and serialization. The pure domain (``model``, ``rules``, ``allocation``,
``followup``) never imports from here; adapters turn outside data into domain objects
and back, and report every bad row instead of raising for it.
"""
