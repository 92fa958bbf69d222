"""Saved and archived forms of a page: Wayback replay, id_ pages, Save Page As, stale <base>."""

from harvester.document import Document, unwrap_wayback
from harvester.engines import drupal
from harvester.model import Page
from tests import pages

TS = "20121105173012"
ORIGINAL = "http://forum.example.org/node/10"


def wayback_replay(html: str) -> str:
    """Wrap a page as web.archive.org serves a replay: scripts, toolbar, rewritten links, trailer."""
    html = html.replace('href="/', f'href="/web/{TS}/http://forum.example.org/')
    html = html.replace('href="http://forum.example.org/misc', f'href="https://web.archive.org/web/{TS}im_/http://forum.example.org/misc')
    head_js = (
        '<script src="//archive.org/includes/athena.js" type="text/javascript"></script>\n'
        '<script type="text/javascript">window.RufflePlayer=window.RufflePlayer||{};</script>\n'
        '<script type="text/javascript" src="https://web-static.archive.org/_static/js/bundle-playback.js?v=1">'
        "</script>\n<script type=\"text/javascript\" src=\"https://web-static.archive.org/_static/js/wombat.js\">"
        f'</script>\n<script>__wm.init("https://web.archive.org/web");\n__wm.wombat("{ORIGINAL}","{TS}",'
        '"https://web.archive.org/","web","https://web-static.archive.org/_static/",\n"1352136612");</script>\n'
        "<!-- End Wayback Rewrite JS Include -->\n")
    toolbar = ('<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id="wm-ipp-base" lang="en" style="display:none;">'
               '<div id="wm-ipp"><a href="/web/20121105173012*/http://forum.example.org/node/10">'
               "27 captures</a> Submitted by nobody on Thu, 2000-01-01 00:00</div></div>\n"
               "<!-- END WAYBACK TOOLBAR INSERT -->\n")
    html = html.replace("<head>\n", "<head>\n" + head_js, 1)
    html = html.replace('node-type-forum">\n', 'node-type-forum">\n' + toolbar, 1)
    return html + ("<!--\n     FILE ARCHIVED ON 17:30:12 Nov 05, 2012 AND RETRIEVED FROM THE\n"
                   "     INTERNET ARCHIVE ON 10:01:02 Mar 01, 2024.\n-->\n<!--\nplayback timings (ms):\n"
                   "  captures_list: 0.5\n-->")


def doc_of(html: str, path="t.html", url=None) -> Document:
    return Document(Page(source_file=path, source_type="html", body=html.encode(), url=url))


def test_unwrap_wayback_forms():
    assert unwrap_wayback(f"https://web.archive.org/web/{TS}/{ORIGINAL}") == (ORIGINAL, TS, None)
    assert unwrap_wayback(f"/web/{TS}im_/http://forum.example.org/a.png") == (
        "http://forum.example.org/a.png", TS, "im_")
    assert unwrap_wayback(f"//web.archive.org/web/{TS}id_/http:/forum.example.org/x")[0] == "http://forum.example.org/x"
    assert unwrap_wayback(ORIGINAL) == (ORIGINAL, None, None)


def test_wayback_replay_page_maps_back_to_the_original():
    doc = doc_of(wayback_replay(pages.page(pages.comment(11, body='<p><a href="/node/99">see</a></p>'))))
    page = doc.page
    assert page.source_type == "wayback"
    assert page.url == ORIGINAL and doc.site == "forum.example.org"
    assert page.capture_time == "2012-11-05T17:30:12Z"
    assert page.archive_url == f"https://web.archive.org/web/{TS}/{ORIGINAL}"
    parsed = drupal.parse(doc)
    assert len(parsed.posts) == 2  # the toolbar's "Submitted by" is not a post
    assert parsed.posts[1]["links"][0]["url"] == "http://forum.example.org/node/99"
    assert parsed.posts[1]["author_url"] == "http://forum.example.org/user/5"
    assert "web.archive.org" not in parsed.posts[1]["body_html"]


def test_id_page_from_a_mirror_path(tmp_path):
    from harvester.sources.files import load

    path = tmp_path / "web.archive.org" / "web" / f"{TS}id_" / "http:" / "forum.example.org" / "node" / "10"
    path.parent.mkdir(parents=True)
    path.write_text(pages.page(pages.comment(11)))
    page, _digest, _size = load(str(path), 10_000_000)
    assert (page.url, page.capture_time, page.source_type) == (ORIGINAL, "2012-11-05T17:30:12Z", "wayback")
    assert page.archive_url == f"https://web.archive.org/web/{TS}id_/{ORIGINAL}"


def test_save_page_as_with_stale_base():
    url = "http://forum.example.org/node/10"
    html = f"<!-- saved from url=({len(url):04d}){url} -->\n" + pages.page(pages.comment(11)).replace(
        "<head>\n", '<head>\n<base href="file:///C:/Users/me/Desktop/thread_files/">\n', 1)
    doc = doc_of(html)
    assert doc.page.url == url and doc.page.capture_time is None and doc.page.source_type == "html"
    assert doc.absolute("/user/5") == "http://forum.example.org/user/5"


def test_saved_wayback_page_via_saved_from_comment():
    url = f"https://web.archive.org/web/{TS}/{ORIGINAL}"
    doc = doc_of(f"<!-- saved from url=({len(url):04d}){url} -->\n" + pages.page())
    assert (doc.page.url, doc.page.capture_time, doc.page.source_type) == (ORIGINAL, "2012-11-05T17:30:12Z", "wayback")


def test_site_url_option_for_pages_without_any_url():
    bare = pages.page().replace('<link rel="shortcut icon" href="http://forum.example.org/misc/favicon.ico"'
                                ' type="image/vnd.microsoft.icon" />', "")
    assert doc_of(bare).site is None
    doc = Document(Page(source_file="t", source_type="html", body=bare.encode()), site_url="https://mirror.example.net/")
    assert doc.url == "https://mirror.example.net/node/10" and doc.site == "mirror.example.net"


def test_fast_link_resolution_agrees_with_urljoin():
    """Document.absolute prefixes plain root-relative links itself; it must give what urljoin gives."""
    from urllib.parse import urljoin

    from tests.samples_support import SAMPLES

    checked = absolute = 0
    for path in SAMPLES.glob("*/*/*.html"):
        doc = Document(Page(source_file=str(path), source_type="html", body=path.read_bytes()))
        for href in doc.root.xpath("//@href | //@src"):
            if href.startswith("/") and not href.startswith(("//", "/web/")):
                assert doc.absolute(href) == urljoin(doc.base, href.strip()), href
                checked += 1
            elif href.startswith("http") and "archive.org" not in href:
                assert doc.absolute(href) == urljoin(doc.base, href.strip()), href
                absolute += 1
    assert checked > 300 and absolute > 50
    # absolute links urljoin rewrites: they must not take the shortcut
    doc = Document(Page(source_file="t", source_type="html", body=b"<html><body><p>x</p></body></html>",
                        url="http://forum.example.org/node/1"))
    for href in ("HTTP://Other.example.org/a", "http://other.example.org?", "http://other.example.org/a#",
                 "http://other.example.org/a/../b", "http://other.example.org/;p", "https://other.example.org/a?",
                 "http://user@other.example.org/a", "http://other.example.org:8080/a?b=1#c", "http://other.example.org"):
        assert doc.absolute(href) == urljoin(doc.base, href), href
    # root-relative replay links take no root-relative shortcut: they unwrap to the original
    for href in ("/web/20121105173012/http://other.example.org/a", "/WEB/20121105173012id_/http://other.example.org/a"):
        assert doc.absolute(href) == "http://other.example.org/a", href


def test_text_before_the_doctype_does_not_push_the_head_into_the_body():
    """A PHP warning printed ahead of the page, or a pipeline's front matter: the head stays the head."""
    head = ('<!DOCTYPE html>\n<html><head><title>t</title><link rel="canonical" href="http://forum.example.org/t/9">'
            '<meta name="generator" content="Board 1.0"></head><body class="board"><p>post</p></body></html>')
    for before in ("<br />\n<b>Warning</b>:  session_start(): headers already sent in <b>/srv/x.php</b><br />\n",
                   "---\nsource_url: http://forum.example.org/t/9\n---\n"):
        doc = Document(Page(source_file="p.html", source_type="html", body=(before + head).encode()))
        assert doc.root.xpath("/html/head/meta[@name='generator']/@content") == ["Board 1.0"]
        assert doc.url == "http://forum.example.org/t/9" and doc.root.xpath("/html/body/@class") == ["board"]
        assert any("before the page's doctype" in n for n in doc.page.notes)
    # a comment before the doctype (Save Page As) is no reason to cut anything
    doc = Document(Page(source_file="p.html", source_type="html",
                        body=("<!-- saved from url=(0028)http://forum.example.org/t/9 -->\n" + head).encode()))
    assert not any("before the page's doctype" in n for n in doc.page.notes)
