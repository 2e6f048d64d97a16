"""Streamlit pieces of the room review, one module per part of the pages:
``state`` (who is acting, flash messages, running a command), ``reads``
(cached reads), ``header``, ``plan``, ``agenda``, ``capture`` (findings and
decisions), ``charter`` (a fix team from a finding), ``teams`` (a team
presenting), ``close_minutes``, ``compare`` (since the last review),
``presenter`` and ``stage_slide`` (presenter mode on the room's screen).

Pages call these; these call cxroom.queries and cxroom.services. Every read
is cached on the data version (any committed write invalidates it). User and
customer text is shown as escaped Markdown or in tables, never as HTML.
"""
