"""The set-up pages (views/setup.py) and the first-run guide (views/first_run.py), one module per tab.

How edits are saved: every button and form submits through an ``on_click``
callback whose arguments are bound when the page was drawn, so the version
sent to the service is the version the person *saw*. If someone else saved
in between, the service answers with a conflict and the page says so (it
never silently overwrites). Callbacks leave a message ("flash") that the next
run shows above the section; user text in messages is escaped.

No SQL here: reads come from ``cxroom.queries.setup``, writes go to
``cxroom.services``.
"""
