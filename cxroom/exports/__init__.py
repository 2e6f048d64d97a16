"""Decks for leaders: the wall and a review as PPTX and PDF, with charts as images.

``deck`` is the format-free model (slides of titles, blocks of lines, tables and chart
PNGs, already clipped to fit a projected 16:9 slide at 18 pt or more); ``wall_deck`` and
``review_deck`` build it from the read models; ``pptx_render`` and ``pdf_render`` draw it;
``build`` ties them together for the CLI and the pages.
"""
