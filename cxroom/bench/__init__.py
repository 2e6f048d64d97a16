"""`python -m cxroom bench`: how fast the room is, as ratios to a floor.

Every figure is measured in the same run as a floor (a trivial Streamlit page,
bench/floor_page.py, in AppTest and in Chromium) and shown as a ratio to it,
so a loaded or slower machine moves the figures but not the verdicts much.

Modules (none of them imports Streamlit or holds SQL of its own: the core's
layering holds here too). The parts that must — AppTest and the raw CSV read —
are scripts in bench/ at the top of the repository, run as worker processes
(a fresh one per room, so "first run" and "cold" really are):

- ``common``: statistics, machine facts, /proc memory, ports, the app server.
- ``rooms``: the rooms the run measures (demo, medium, large).
- ``browser``: Chromium timings and the server's resident memory.
- ``run``: the whole run, the targets, the table and the JSON.
- ``cli``: registers the ``bench`` command.
- ``bench/apptest_worker.py``: AppTest timings of one room (floor, wall, pages, concurrent sessions).
- ``bench/import_worker.py``: the 1M-row complaints CSV against DuckDB's raw read_csv.
- ``bench/floor_page.py``: the floor; ``bench/soak.py``: the soak (``make soak``).
"""
