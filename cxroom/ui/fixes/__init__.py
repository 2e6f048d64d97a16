"""The team-fix tracker's pages, in small modules: shared ground (``common``), writes
(``actions``), cached reads (``reads``), the board, the charter form, the fix page's
panels, evidence, attachments and forms, and the Celebrations wall.

Every component takes a ``key`` where it creates widgets or keyed containers."""
