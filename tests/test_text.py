"""The text helpers every engine shares: folding, block-aware text, inner HTML with absolute links.

They were rewritten for speed (translate instead of a regex, one linked-element query per body), so
these tests pin what they return against the plain definitions.
"""

import random
import re

from lxml import etree

from harvester.text import element_text, inner_html, squash, text_content

FOLD = re.compile(r"[ \t\r\n\f\v\u00a0]+")  # the definition: these runs are one space


def test_squash_matches_the_regex_definition_on_random_white_space():
    rng = random.Random(7)
    alphabet = [" ", " ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u2003", "a", "b", "é", "-"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert squash(text) == FOLD.sub(" ", text).strip(), repr(text)
    assert squash(None) == ""


def html(fragment: str):
    return etree.fromstring(f"<html><body>{fragment}</body></html>", etree.HTMLParser()).find("body")[0]


def test_element_text_breaks_blocks_and_lines_and_folds_source_white_space():
    el = html("<div>\n  <p>First   line\n   wraps here.<br>Second\tline</p>\n"
              "<p>Third <a href='/x'>link\n text</a> end.</p><script>var x = 1;</script>"
              "<ul><li>one</li><li>two</li></ul>\u00a0tail</div>")
    assert element_text(el) == "First line wraps here.\nSecond line\n\nThird link text end.\n\none\n\ntwo\n\ntail"


def test_element_text_keeps_line_breaks_inside_pre_but_strips_each_line():
    el = html("<div><p>Code:</p><pre>a = 1\n  b = 2\n</pre></div>")
    assert element_text(el) == "Code:\n\na = 1\nb = 2"


def test_text_content_is_xpath_string_with_or_without_children():
    for fragment in ("<span>plain</span>", "<span></span>", "<span>a<b>b</b>c<!-- x -->d</span>"):
        el = html(fragment)
        assert text_content(el) == el.xpath("string()")


def test_inner_html_makes_links_absolute_and_keeps_text_escaped():
    el = html("<div>1 &lt; 2 <a href='/node/5'>n</a><img src='pic.png'/> &amp; more</div>")
    out = inner_html(el, lambda href: "http://forum.example.org/" + href.lstrip("/"))
    assert out == ('1 &lt; 2 <a href="http://forum.example.org/node/5">n</a>'
                   '<img src="http://forum.example.org/pic.png"> &amp; more')
