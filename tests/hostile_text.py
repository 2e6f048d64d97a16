"""Hostile strings: what a person, a link or a file could put where the room shows text.

Every payload that could fetch or link does so to ``evil.example`` (or names
``evil`` in a link), so a browser test can tell an element made from a payload
from the room's own. Shared by the escape's unit tests and the browser test.
"""

from __future__ import annotations

EVIL_HOST = "evil.example"

PAYLOADS: dict[str, str] = {
    # from the issue
    "image_and_link": "![b](http://evil.example/x.png)[click here](http://evil.example/phish)",
    # Markdown
    "image": "![logo](http://evil.example/img.png)",
    "image_title": '![a](http://evil.example/t.png "title")',
    "reference_link": "[see][r]\n\n[r]: http://evil.example/ref",
    "reference_image": "![pic][i]\n\n[i]: http://evil.example/ref.png",
    "angle_autolink": "<http://evil.example/angle>",
    "angle_mail": "<boss@evil.example>",
    "bare_url": "see http://evil.example/bare for details",
    "bare_https_path": "https://evil.example/a_b-c?d=e&f=g#h",
    "bare_www": "go to www.evil.example now",
    "bare_www_upper": "WWW.evil.example",
    "bare_email": "mail ceo@evil.example today",
    "javascript_link": "[x](javascript:alert(1))",
    "data_link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "emphasis": "**zqbold** _zqit_ ~~zqgone~~ `zqcode`",
    "heading": "# zqheading",
    "list_and_quote": "- zqitem\n> zqquote\n1. zqone",
    "table": "| a | b |\n|---|---|\n| zqcell | row |",
    "fenced_code": "```\nzqblock\n```",
    "footnote": "text[^n]\n\n[^n]: http://evil.example/footnote",
    "escaped_already": "\\[not a link\\](http://evil.example/esc) \\\\",
    # raw HTML
    "html_img": '<img src="http://evil.example/h.png" onerror="alert(1)">',
    "html_script": "<script>alert(1)</script>",
    "html_iframe": '<iframe src="http://evil.example/frame"></iframe>',
    "html_anchor": '<a href="http://evil.example/a">a</a>',
    "html_svg": "<svg onload=alert(1)><circle r=9 /></svg>",
    "html_entity": "&lt;b&gt; &amp; &#x3C;i&#x3E; &#60;img&#62;",
    "html_comment": "<!-- hidden --> shown",
    # Streamlit additions
    "colour": ":red[zqalarm] :blue-background[zqnote] :rainbow[zqpretty]",
    "small": ":small[zqtiny] :gray[zqgrey]",
    "badge": ":green-badge[zqfine] :red-badge[:material/skull: zqbad]",
    "material_icon": ":material/home: :material/thumb_up:",
    "material_underscore": ":material_delete_forever:",
    "streamlit_logo": ":streamlit: made with",
    "emoji": ":smile: :+1: :-1: :rocket:",
    "katex_inline": "costs $x^2 + \\frac{1}{2}$ pounds",
    "katex_block": "$$\\int_0^1 f(x) dx$$",
    "katex_href": "$\\href{http://evil.example/tex}{click}$",
    "arrows": "a -> b <- c <-> d -- e >= f <= g ~= h",
    # mixed and odd
    "nested_colour_link": ":red[[zqclick](http://evil.example/red)]",
    "newline_image": "line one\n![x](http://evil.example/nl.png)",
    "unicode": "Zoë's café — naïve ✓ 日本 😀 \u200b\u2060",
    "formula": '=HYPERLINK("http://evil.example/f","click")',
    "backslashes": "C:\\Users\\evil\\ \\n \\*",
    "percent_template": "%{x} %{customdata[0]} <b>bold</b> <br> <a href='http://evil.example/plotly'>p</a>",
    "long_run": "![" * 30 + "x" + "](http://evil.example/deep)" * 30,
}

# Words inside the payloads' markup: an element whose whole text is one of these was made from a payload.
MARKUP_WORDS = [
    "zqbold",
    "zqit",
    "zqgone",
    "zqcode",
    "zqheading",
    "zqitem",
    "zqquote",
    "zqone",
    "zqcell",
    "zqblock",
    "zqalarm",
    "zqnote",
    "zqpretty",
    "zqtiny",
    "zqgrey",
    "zqfine",
    "zqbad",
    "zqclick",
]
# Material icons and emoji the payloads name (the room itself uses none of them).
PAYLOAD_ICONS = ["home", "thumb_up", "delete_forever", "skull"]
PAYLOAD_EMOJI = ["\U0001f604", "\U0001f680", "\U0001f44d", "\U0001f44e"]  # :smile: :rocket: :+1: :-1:

# Strings that must come through an escape unchanged to the eye (what a reader sees).
ORDINARY = [
    "Claims handling (motor) - 2025",
    "Time to first contact, hours",
    "NPS: would you recommend us?",
    "O'Brien & Partners, 50% off!",
    "10:30 meeting; room #4",
]


def as_read(markdown: str) -> str:
    """What a reader sees of escaped Markdown: backslash escapes and word joiners dropped."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
