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
# The white space that folds to one space; str.translate and replace fold it twice as fast as a regex.
_TO_SPACE = str.maketrans("\t\r\n\f\v\u00a0", "      ")
_BREAKS = re.compile(r"\n{3,}")
_LINKED = etree.XPath("descendant::*[@href or @src]")
_STRING = etree.XPath("string()", smart_strings=False)


def has_class(name: str) -> str:
    """XPath predicate body: the element's class attribute holds ``name`` as a whole word."""
    # The plain contains() fails fast on the many elements without the word, so the costly whole-word
    # test runs only on candidates: selectors over the whole page take a third of the time.
    return f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"


def squash(text: str | None) -> str:
    return _flat(text).strip()


def text_content(el) -> str:
    """All text inside the element, as XPath's string(); an element without children needs no XPath call."""
    return (el.text or "") if len(el) == 0 else _STRING(el)


def element_text(el) -> str:
    """The element's text with block elements as blank-line breaks and <br> as line breaks.

    Source line breaks outside <pre> are only white space: the walk makes them spaces, and each line is
    folded and stripped once at the end (most lines have nothing to fold, see ``_flat``).
    """
    pre = el.tag == "pre"
    parts: list[str] = [_unbroken(el.text, pre)]
    _walk(el, parts, pre)
    # Each intermediate goes as soon as the next exists: a body of tens of MB would otherwise be held
    # four or five times over at once.
    joined = "".join(parts)
    parts.clear()
    lines = joined.split("\n")
    del joined
    text = "\n".join([squash(line) for line in lines])
    del lines
    return _BREAKS.sub("\n\n", text).strip() if "\n\n\n" in text else text.strip()


def _unbroken(text: str | None, pre: bool) -> str:
    if not text:
        return ""
    return text if pre or "\n" not in text else text.replace("\n", " ")


def _flat(text: str | None) -> str:
    """Runs of white space as one space."""
    if not text:
        return ""
    if not _needs_folding(text):
        return text  # most text nodes have nothing to fold
    text = text.translate(_TO_SPACE)
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _needs_folding(text: str) -> bool:
    return "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text \
        or "\f" in text or "\v" in text


def _walk(el, parts: list[str], pre: bool) -> None:
    """Text of the element's children into ``parts``. A loop with its own stack, not recursion: user HTML
    can nest elements 2,000 deep (the parser's limit), twice Python's recursion limit."""
    stack: list = []
    children = iter(el)
    closing = None  # (element, is block, pre outside it) of the element whose children are being read
    while True:
        child = next(children, None)
        if child is None:
            if not stack:
                return
            node, block, outer = closing
            if block:
                parts.append("\n\n")
            parts.append(_unbroken(node.tail, outer))
            children, pre, closing = stack.pop()
            continue
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag is None or tag in _SKIP:
            pass  # comments, processing instructions, scripts: only their tail is text
        elif tag == "br":
            parts.append("\n")
        else:
            block = tag in _BLOCK
            inner = pre or tag == "pre" if block else pre
            if block:
                parts.append("\n\n")
            parts.append(_unbroken(child.text, inner))
            if len(child):
                stack.append((children, pre, closing))
                children, pre, closing = iter(child), inner, (child, block, pre)
                continue
            if block:
                parts.append("\n\n")
        parts.append(_unbroken(child.tail, pre))


def linked(el) -> list:
    """Descendants carrying an href or src, in document order."""
    return _LINKED(el)


def inner_html(el, absolute: Callable[[str], str | None], linked_els: list | None = None) -> str:
    """Serialise the element's children with every href/src made absolute (the tree is changed in place).

    ``linked_els`` is ``linked(el)`` when the caller has it already.
    """
    for node in linked(el) if linked_els is None else linked_els:
        for attr in ("href", "src"):
            value = node.get(attr)
            if value is not None:
                node.set(attr, absolute(value) or value)
    out = [_escape(el.text or "")]
    for child in el:
        out.append(etree.tostring(child, encoding="unicode", method="html", with_tail=False))
        out.append(_escape(child.tail or ""))
    return "".join(out).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
