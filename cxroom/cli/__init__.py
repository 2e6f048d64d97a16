"""The command line, `python -m cxroom`: the one package above everything else.

It may import any part of cxroom (the room's services, the inbox, the set-up file, the
benchmarks); nothing in cxroom imports it back, except ``cxroom.__main__``.

    entry      the parser and main(): which module answers which command
    room       init, demo, info, serve
    trust      backup, restore, user, token, purge-calls
    imports    import complaints|kpis|surveys|undo, add call|artifact
    handover   imports and additions handed to the running app's inbox when it holds the database
    setup      setup export|apply|export-rules|apply-rules
"""

from cxroom.cli.entry import build_parser, main

__all__ = ["build_parser", "main"]
