"""The one escape: every hostile string comes out as the same characters, with
nothing a Markdown parser or Streamlit's rewrites could turn into an element."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from cxroom.textsafe import WORD_JOINER, escape_markdown, escape_plotly, plain
from tests.hostile_text import ORDINARY, PAYLOADS, as_read

# What Streamlit 1.67 (StreamlitMarkdown) and GFM rewrite in the parsed text, after the
# parser has dropped the backslashes: the escape has to leave none of them matching.
REWRITES = {
    "emoji": re.compile(r":\+1:|:-1:|:[\w-]+:"),
    "material icon": re.compile(r":material[/_]\w+:"),
    "streamlit logo": re.compile(r":streamlit:"),
    "bare link": re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE),
    "bare e-mail": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+"),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
COMMONMARK = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _parsed_text(escaped: str) -> str:
    """The text a CommonMark parser hands to the rewrites: escapes resolved, word joiners kept."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escaped)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_every_punctuation_character_is_escaped(name: str) -> None:
    escaped = escape_markdown(PAYLOADS[name])
    assert "\n" not in escaped and "\r" not in escaped
    for i, char in enumerate(escaped):
        if char in ASCII_PUNCTUATION and char != "\\":
            assert escaped[i - 1] == "\\" and (i < 2 or escaped[i - 2] != "\\" or escaped[i - 3] == "\\"), (
                name,
                escaped[max(0, i - 5) : i + 5],
            )


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_a_reader_sees_exactly_the_text(name: str) -> None:
    payload = PAYLOADS[name]
    assert as_read(escape_markdown(payload)) == plain(payload).replace(WORD_JOINER, "")


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_no_rewrite_of_the_parsed_text_matches(name: str) -> None:
    text = _parsed_text(escape_markdown(PAYLOADS[name]))
    for feature, pattern in REWRITES.items():
        assert not pattern.search(text), (name, feature, text)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_a_commonmark_parser_makes_one_plain_paragraph(name: str) -> None:
    rendered = COMMONMARK.render(escape_markdown(PAYLOADS[name]))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p"}, (name, rendered)
    assert html.unescape(re.sub(r"</?p>", "", rendered)).strip().replace(WORD_JOINER, "") == plain(
        PAYLOADS[name]
    ).replace(WORD_JOINER, "")


def test_the_payloads_are_live_without_the_escape() -> None:
    """The corpus is a real test: unescaped, the parser and the rewrites find what they look for."""
    streamlit_syntax = re.compile(r":[a-z][\w-]*\[|\$")  # directives (:red[...]) and math
    inert = []
    for name, payload in PAYLOADS.items():
        rendered = COMMONMARK.render(payload)
        tags = re.search(r"<(a|img|em|strong|code|h1|ul|ol|blockquote|table|s|pre|script|iframe|svg)\b", rendered)
        if not (tags or streamlit_syntax.search(payload) or any(p.search(payload) for p in REWRITES.values())):
            inert.append(name)
    # markdown-it (like react-markdown) drops javascript: and data: links by itself; entities, comments,
    # unicode and stray backslashes are there to show the text comes through unchanged.
    assert inert == ["javascript_link", "data_link", "html_entity", "html_comment", "unicode", "backslashes"], inert


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_reads_the_same(text: str) -> None:
    assert as_read(escape_markdown(text)) == text
    assert escape_markdown("Make a claim") == "Make a claim"


def test_empty_and_whitespace() -> None:
    assert escape_markdown(None) == ""
    assert escape_markdown("  two   spaces\n\tand a tab ") == "two spaces and a tab"
    assert escape_markdown(42) == "42"


def test_word_joiners_go_only_where_a_rewrite_would_match() -> None:
    assert escape_markdown(":smile:") == f"\\:{WORD_JOINER}smile\\:"
    assert escape_markdown(":material/home:") == f"\\:{WORD_JOINER}material\\/home\\:"
    assert escape_markdown("http://x.y") == f"http{WORD_JOINER}\\:\\/\\/x\\.y"
    assert escape_markdown("www.x") == f"www{WORD_JOINER}\\.x"
    assert escape_markdown("a@b.c") == f"a\\@{WORD_JOINER}b\\.c"
    assert escape_markdown("a -> b") == f"a \\-{WORD_JOINER}\\> b"
    # Ordinary punctuation keeps its exact characters (copy, paste and find-in-page still work).
    for text in ["Pay: the first bill", "10:30 on 5/12", "@team", "call-back--no", "a->b", "x>=y?", "http or www"]:
        assert WORD_JOINER not in escape_markdown(text), text


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_plotly_labels_hold_no_tag(name: str) -> None:
    escaped = escape_plotly(PAYLOADS[name])
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert html.unescape(escaped) == plain(PAYLOADS[name])
