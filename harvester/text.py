"""Element helpers shared by engines: clean text with paragraph breaks, inner HTML with absolute links."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

_BLOCK = frozenset(
    "address article aside blockquote dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_SKIP = frozenset(("script", "style", "noscript", "template"))
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_BREAKS = re.compile(r"\n{3,}")


def has_class(name: str) -> str:
    """XPath predicate body: the element's class attribute holds ``name`` as a whole word."""
    # The plain contains() fails fast on the many elements without the word, so the costly whole-word
    # test runs only on candidates: selectors over the whole page take a third of the time.
    return f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"


def squash(text: str | None) -> str:
    return _flat(text).strip()


def element_text(el) -> str:
    """The element's text with block elements as blank-line breaks and <br> as line breaks."""
    parts: list[str] = [_flat(el.text)]
    _walk(el, parts, el.tag == "pre")
    lines = [squash(line) for line in "".join(parts).split("\n")]
    return _BREAKS.sub("\n\n", "\n".join(lines)).strip()


def _flat(text: str | None, pre: bool = False) -> str:
    """Runs of white space as one space (source line breaks are only white space), except inside <pre>."""
    if not text:
        return ""
    if pre or not _needs_folding(text):
        return text  # most text nodes have nothing to fold: skip the regex
    return _SPACES.sub(" ", text)


def _needs_folding(text: str) -> bool:
    return "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text \
        or "\f" in text or "\v" in text


def _walk(el, parts: list[str], pre: bool) -> None:
    for child in el:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag is None or tag in _SKIP:
            pass  # comments, processing instructions, scripts: only their tail is text
        elif tag == "br":
            parts.append("\n")
        elif tag in _BLOCK:
            inner_pre = pre or tag == "pre"
            parts.append("\n\n")
            parts.append(_flat(child.text, inner_pre))
            _walk(child, parts, inner_pre)
            parts.append("\n\n")
        else:
            parts.append(_flat(child.text, pre))
            _walk(child, parts, pre)
        parts.append(_flat(child.tail, pre))


def inner_html(el, absolute: Callable[[str], str | None]) -> str:
    """Serialise the element's children with every href/src made absolute (the tree is changed in place)."""
    out = [_escape(el.text or "")]
    for child in el:
        for node in child.iter():
            if not isinstance(node.tag, str):
                continue
            for attr in ("href", "src"):
                value = node.get(attr)
                if value is not None:
                    node.set(attr, absolute(value) or value)
        out.append(etree.tostring(child, encoding="unicode", method="html", with_tail=False))
        out.append(_escape(child.tail or ""))
    return "".join(out).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
