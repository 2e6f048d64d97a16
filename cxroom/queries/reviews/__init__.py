"""Reads of the room review, one module per concern: the reviews and their
data month (``listing``), what a review holds (``contents``), the facts its
agenda is proposed from (``agenda_facts``), what presenter mode shows for a
stage or a fix (``presenting``), the comparison of two snapshots
(``since_last``) and the minutes (``minutes_doc``).

Aggregation happens in DuckDB; Python only shapes the rows.
"""
