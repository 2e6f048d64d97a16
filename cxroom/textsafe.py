"""Text from people, links and files, made inert before it meets a renderer.

One rule for the whole room: a string that came from a person (a title, a note,
a name), a URL (``?fix=``, ``?month=``), an imported file (categories, KPI names,
survey questions, file names), a wall-screen link's label or a sign-in header is
shown as the characters it holds, never as markup.

``escape_markdown`` is for Streamlit's Markdown (``st.markdown``, titles,
captions, alerts, widget labels, ``help=``, tab and expander labels, page-link
labels) and for the Markdown minutes. ``escape_plotly`` is for plotly titles,
axis labels, legend names and hover text, which render a subset of HTML.

No library covers Streamlit's dialect, so this is written here. Streamlit 1.67
renders Markdown with react-markdown, and two kinds of feature need two kinds of
defence:

* Syntax read by the parser: emphasis, links, images, raw HTML, code, headings,
  lists, tables, ``<autolinks>``, ``$math$``, ``:color[directives]``. CommonMark
  lets a backslash escape every ASCII punctuation character, so every one is
  escaped, which also covers features added later that start with punctuation.
* Rewrites of the parsed text: emoji codes (``:smile:``), Material icons
  (``:material/home:``, ``:material_home:``), the Streamlit logo
  (``:streamlit:``), GFM bare links (``http://...``, ``www.x``, ``a@b.c``) and
  typographic arrows (``->`` to →). These run on the text *after* the parser
  has removed the backslashes, so escaping cannot stop them; an invisible
  WORD JOINER (U+2060) placed where each pattern would match breaks them
  without changing what a reader sees. cmark-gfm (GitHub) also finds bare
  links after parsing, so the minutes need the same.

Whitespace runs (line breaks included) collapse to one space, so nothing can
become a heading, a list item, a quote, a table row or an indented code block.
"""

from __future__ import annotations

import html
import re
from typing import Any

WORD_JOINER = "\u2060"

# Where a rewrite of the parsed text would match, a word joiner goes in, and nowhere else (so
# "Pay: the first bill", "10:30" and "@team" keep their exact characters for copy and find):
# after the colon that opens ":smile:", ":+1:", ":material/home:", ":streamlit:"; between
# "http"/"https" and "://"; between "www" and "."; after the "@" of an e-mail address; and inside
# a free-standing "->", "<-", "<->", "--", ">=", "<=" or "~=".
_OPENING_COLON = re.compile(r"(?<=:)(?=[\w+-][\w+/-]*:)")
_LINK_SCHEME = re.compile(r"(?<=http)(?=://)|(?<=https)(?=://)", re.IGNORECASE)
_WWW_DOT = re.compile(r"(?<=www)(?=\.)", re.IGNORECASE)
_MAIL_AT = re.compile(r"(?<=@)(?=[-\w]+\.)")
_ARROW = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")


def _break_rewrites(text: str) -> str:
    for pattern in (_OPENING_COLON, _LINK_SCHEME, _WWW_DOT, _MAIL_AT):
        text = pattern.sub(WORD_JOINER, text)
    return _ARROW.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], text)


# Every ASCII punctuation character: ! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: Any) -> str:
    """The text of ``text`` as one line: ``None`` is empty, whitespace runs become one space."""
    if text is None:
        return ""
    return " ".join(str(text).split())


def escape_markdown(text: Any) -> str:
    """``text`` as Markdown that Streamlit (and GitHub) shows literally, on one line."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", _break_rewrites(plain(text)))


def escape_plotly(text: Any) -> str:
    """``text`` for a plotly title, axis, legend or hover label: plotly renders <a href>, <b>, <br>,
    <span style> and entities there, so the text is HTML-escaped (one line, as above)."""
    return html.escape(plain(text), quote=True)
