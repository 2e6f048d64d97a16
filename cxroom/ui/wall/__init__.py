"""The Wall and the stage page: one module per part of the page.

``state`` reads the URL (?month, ?stage, ?mode, ?screen&of, ?spotlight);
``header`` holds the title, the month picker and the data stamp; ``column`` one
stage's column; ``kpi_tiles``, ``complaints``, ``surveys``, ``artifacts`` and
``voices`` (calls and verbatims) draw each kind of evidence, on the wall and in
the stage page's tabs; ``wall_page`` the whole wall, ``wall_screen`` what only the
unattended screen (?mode=wall) does; ``stage_page`` the stage detail.

Every component is a function taking a ``key`` (widget and container keys are
derived from it) and the view models of ``cxroom.queries.wall``; none of them
queries the database.

Customer text (verbatims, transcripts) arrives masked and is shown with
``st.text`` (never parsed as Markdown or HTML). Names typed by people in the
room (stages, KPIs, categories, titles) go into Markdown only through
``md`` (cxroom.ui.kit.text).
"""
