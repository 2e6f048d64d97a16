"""Reads for the Wall: every stage column for one month, in a handful of queries.

One query per kind of evidence for ALL stages (never one per stage), each
aggregated in DuckDB, so the wall costs the same ten queries whether the room
has 7 stages and 30 thousand complaints or 20 stages and 30 million. The
results are small (stages x months) and are shaped here into frozen view
models the UI renders as they are.

One module per kind of evidence (its SQL, its view model and the shaping of its
rows): ``stages`` (stages, moments, silos), ``kpis``, ``complaints``,
``surveys``, ``artifacts``, ``calls`` and ``fixes``; ``months`` holds the calendar
arithmetic they share and ``wall_data`` assembles the columns (``load_wall``).

Customer text (verbatims, transcripts) leaves this package masked
(``cxroom.privacy``): the UI never sees the raw text.
"""
