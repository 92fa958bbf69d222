"""Stack Exchange question pages (issue 15): detection, and every post recomputed from the page with plain lxml:
comments reply to the post they sit under, answers are top-level, the accepted one flagged, scores and times
from the markup's own attributes."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, stackexchange
from harvester.model import Page
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

SE = SAMPLES / "stackexchange"
CASES = ("se-2022-accepted-answer", "se-2016-spanish-wayback")


def _doc(path) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes()))


def _shown(case: str) -> dict[str, dict]:
    root = etree.fromstring((SE / case / "page.html").read_bytes(), etree.HTMLParser())
    out = {}
    for el in root.iter("div"):
        if el.get("id") == "question" or el.get("data-answerid"):
            is_q = el.get("id") == "question"
            pid = f"question/{el.get('data-questionid')}" if is_q else f"answer/{el.get('data-answerid')}"
            owner = next(s for s in el.iter("div") if "owner" in (s.get("class") or "").split())
            title = next(s.get("title") for s in owner.iter("span") if s.get("title"))
            out[pid] = {"parent": None, "votes": int(el.get("data-score")),
                        "accepted": "accepted-answer" in (el.get("class") or ""), "time": title.replace(" ", "T")}
            for li in el.iter("li"):
                if li.get("data-comment-id"):
                    when = next(s.get("title") for s in li.iter("span") if "relativetime" in (s.get("class") or ""))
                    out[f"comment/{li.get('data-comment-id')}"] = {
                        "parent": pid, "votes": int(li.get("data-comment-score")), "accepted": False,
                        "time": when.split(",")[0].replace(" ", "T")}
    return out


@pytest.mark.parametrize("case", CASES)
def test_detected_from_the_page_alone(case):
    assert detect(_doc(SE / case / "page.html")) is stackexchange


def test_no_other_sample_is_taken_for_stack_exchange():
    for page in foreign_pages("stackexchange"):
        assert stackexchange.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", CASES)
def test_posts_match_the_page(case, tmp_path):
    assert main(["extract", str(SE / case / "page.html"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert sorted(p["id"] for p in posts) == sorted(shown)
    assert posts[0]["id"].startswith("question/") and posts[0]["is_op"]
    for post in posts:
        seen = shown[post["id"]]
        assert post["parent_id"] == seen["parent"], post["id"]
        assert post["depth"] == (0 if seen["parent"] is None else 1)
        assert post["votes"] == seen["votes"] and post["votes_kind"] == "score"
        assert bool(post["extra"].get("accepted")) == seen["accepted"]
        assert post["published_utc"] == seen["time"], post["id"]
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert threads[0]["reply_count"] == sum(1 for k in shown if k.startswith("answer/"))
    people = {p["name"]: p for p in read_jsonl(tmp_path / "o" / "participants.jsonl")}
    assert people["Okonkwo"]["reputation"] == 12400  # "12.4k" as the page shows it


# The 2019-2021 question page as the sites served it (names, ids and text invented): comments without
# data-comment-score (the score is the text of div.comment-score, empty for none), a deleted account whose
# name is text doubled by a hidden itemprop=name span, and a community wiki answer whose "answered" signature
# has no name and no time (the wiki signature names the author by its revision link; the answer's microdata
# keeps the creation time).
SE_2020 = """<html><head><title>Why does my dough not rise? - Bakers Stack</title>
<link rel="canonical" href="https://bakers.stackexchange.example/questions/4455/why-does-my-dough-not-rise"></head>
<body class="question-page"><div id="question-header"><h1><a href="/questions/4455">Why does my dough not rise?</a></h1>
</div>
<div id="question" class="question" data-questionid="4455" data-score="3">
 <div class="js-vote-count" itemprop="upvoteCount" data-value="3">3</div>
 <div class="s-prose js-post-body" itemprop="text"><p>The dough stays flat overnight.</p></div>
 <div class="post-signature owner grid--cell"><div class="user-info">
   <div class="user-action-time">asked <span title="2019-02-03 08:15:00Z" class="relativetime">Feb 3 '19</span></div>
   <div class="user-details" itemprop="author" itemscope itemtype="http://schema.org/Person">
     Flour Moth<span class="d-none" itemprop="name">Flour Moth</span>
     <div class="-flair"></div></div></div></div>
 <div class="comments js-comments-container">
 <ul class="comments-list js-comments-list" data-remaining-comments-count="0">
  <li id="comment-800001" class="comment js-comment " data-comment-id="800001">
   <div class="js-comment-actions comment-actions"><div class="comment-score js-comment-edit-hide">
     <span title="number of 'useful comment' votes received" class="cool">7</span></div></div>
   <div class="comment-text"><div class="comment-body"><span class="comment-copy">Is the yeast fresh?</span>
     &ndash;&nbsp;<a href="/users/31/rye-baker" class="comment-user">rye baker</a>
     <span class="comment-date"><span title="2019-02-03 09:00:00Z, License: CC BY-SA 4.0"
       class="relativetime-clean">Feb 3 '19</span></span></div></div></li>
  <li id="comment-800002" class="comment js-comment " data-comment-id="800002">
   <div class="js-comment-actions comment-actions"><div class="comment-score js-comment-edit-hide">
     </div></div>
   <div class="comment-text"><div class="comment-body"><span class="comment-copy">Warm the bowl first.</span>
     &ndash;&nbsp;<a href="/users/32/crumb" class="comment-user">crumb</a>
     <span class="comment-date"><span title="2019-02-03 09:30:00Z, License: CC BY-SA 4.0"
       class="relativetime-clean">Feb 3 '19</span></span></div></div></li>
 </ul></div>
</div>
<div id="answers">
<div id="answer-4460" class="answer accepted-answer" data-answerid="4460" data-score="5" itemprop="acceptedAnswer">
 <div class="js-vote-count" data-value="5">5</div>
 <div class="s-prose js-post-body" itemprop="text"><p>Your kitchen is too cold.</p></div>
 <time itemprop="dateCreated" datetime="2019-02-04T10:20:30"></time>
 <div class="post-signature grid--cell fl0"><div class="user-info">
   <div class="user-action-time"><a href="/posts/4460/revisions">edited <span title="2020-05-06 07:08:09Z"
     class="relativetime">May 6 '20</span></a></div>
   <div class="user-details"><div class="-flair"></div></div></div></div>
 <div class="post-signature grid--cell fl0"><div class="user-info">
   <div class="user-details"><span class="community-wiki" title="This post is community owned">community wiki</span>
   </div><br><div class="user-details"><a id="history-4460" href="/posts/4460/revisions">proofing drawer</a></div>
 </div></div>
</div>
</div></body></html>"""


def test_2020_markup_comment_scores_plain_names_and_community_wiki(tmp_path):
    """Real 2020 question pages: every comment score was null, "The dude" became "The" (and a one-word name
    was doubled), and community wiki answers had no date and no author."""
    page = tmp_path / "q.html"
    page.write_text(SE_2020)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = {p["id"]: p for p in read_jsonl(tmp_path / "o" / "posts.jsonl")}
    question = posts["question/4455"]
    assert question["author_name"] == "Flour Moth" and question["extra"].get("anonymous") is True
    assert (posts["comment/800001"]["votes"], posts["comment/800001"]["votes_kind"]) == (7, "score")
    assert posts["comment/800002"]["votes"] == 0  # nothing shown: no useful-comment votes
    wiki = posts["answer/4460"]
    assert wiki["published_utc"] == "2019-02-04T10:20:30Z"
    assert wiki["author_name"] == "proofing drawer"
    assert wiki["extra"] == {"edited": "2020-05-06T07:08:09Z", "community_wiki": True, "accepted": True}


# The 2013-2018 question page (a real 2014 page saved from a browser): signatures are table cells
# (td.post-signature, the question's with "owner", an answer's found by "answered"), comments are table rows
# tr#comment-N without data attributes, the score a td.comment-score (two no-break spaces for none), the
# remaining-comments count on the tbody. Names, ids and text invented.
SE_2014 = """<html><head><title>Why is my kiln slow? - Potters</title></head><body class="question-page">
<div id="question-header"><h1 itemprop="name"><a href="/questions/7100" class="question-hyperlink">Why is my kiln
slow?</a></h1></div>
<div class="question" data-questionid="7100" id="question"><table><tbody><tr>
 <td class="votecell"><div class="vote"><span itemprop="upvoteCount" class="vote-count-post ">4</span></div></td>
 <td class="postcell"><div><div class="post-text" itemprop="text"><p>It takes nine hours to reach cone six.</p></div>
  <table class="fw"><tbody><tr><td class="vt"><div class="post-menu"><a href="/q/7100">share</a></div></td>
  <td class="post-signature owner"><div class="user-info "><div class="user-action-time">
   asked <span title="2014-08-17 15:48:07Z" class="relativetime">Aug 17 '14 at 15:48</span></div>
   <div class="user-details"><a href="/users/501/slipcaster">slipcaster</a><div class="-flair">
   <span class="reputation-score" title="reputation score " dir="ltr">919</span></div></div></div></td>
  </tr></tbody></table></div></td></tr>
 <tr><td class="votecell"></td><td><div id="comments-7100" class="comments  dno"><table>
  <tbody data-remaining-comments-count="0"><tr><td></td><td></td></tr></tbody></table></div></td></tr>
</tbody></table></div>
<div id="answers">
<div id="answer-7105" class="answer accepted-answer" data-answerid="7105" itemprop="acceptedAnswer"><table><tbody><tr>
 <td class="votecell"><div class="vote"><span itemprop="upvoteCount" class="vote-count-post ">12</span></div></td>
 <td class="answercell"><div class="post-text" itemprop="text"><p>Check the elements.</p></div>
  <table class="fw"><tbody><tr><td class="vt"><div class="post-menu"><a href="/a/7105">share</a></div></td>
  <td align="right" class="post-signature"><div class="user-info "><div class="user-action-time">
   <a href="/posts/7105/revisions">edited <span title="2014-08-17 21:57:23Z" class="relativetime">Aug 17 '14</span></a>
   </div><div class="user-details"><div class="-flair"></div></div></div></td>
  <td align="right" class="post-signature"><div class="user-info "><div class="user-action-time">
   answered <span title="2014-08-17 18:31:08Z" class="relativetime">Aug 17 '14 at 18:31</span></div>
   <div class="user-details"><a href="/users/502/kilnwright">kilnwright</a></div></div></td>
  </tr></tbody></table></td></tr>
 <tr><td class="votecell"></td><td><div id="comments-7105" class="comments "><table>
  <tbody data-remaining-comments-count="2">
   <tr id="comment-3901" class="comment "><td><table><tbody><tr><td class=" comment-score">
     &nbsp;&nbsp;</td><td>&nbsp;</td></tr></tbody></table></td>
    <td class="comment-text"><div style="display: block;" class="comment-body">
     <span class="comment-copy">Which elements?</span>
     &ndash;&nbsp;<a href="/users/501/slipcaster" title="919 reputation" class="comment-user owner">slipcaster</a>
     <span class="comment-date" dir="ltr"><a class="comment-link" href="#comment3901_7105"><span
      title="2014-08-17 21:17:22Z" class="relativetime-clean">Aug 17 '14 at 21:17</span></a></span></div></td></tr>
   <tr id="comment-3902" class="comment "><td><table><tbody><tr><td class=" comment-score">
     <span title="number of 'useful comment' votes received" class="cool">3</span></td><td>&nbsp;</td></tr>
     </tbody></table></td>
    <td class="comment-text"><div style="display: block;" class="comment-body">
     <span class="comment-copy">The coils, under the shelf.</span>
     &ndash;&nbsp;<a href="/users/502/kilnwright" title="766 reputation" class="comment-user">kilnwright</a>
     <span class="comment-date" dir="ltr"><a class="comment-link" href="#comment3902_7105"><span
      title="2014-08-17 21:55:35Z" class="relativetime-clean">Aug 17 '14 at 21:55</span></a></span></div></td></tr>
  </tbody></table></div></td></tr>
</tbody></table></div>
</div></body></html>"""


def test_2014_table_markup_signatures_and_comment_rows(tmp_path):
    """A real 2014 page: owners and dates come from td.post-signature, and its comment rows were all missed."""
    page = tmp_path / "q.html"
    page.write_text(SE_2014)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    got = [(p["id"], p["parent_id"], p["author_name"], p["published_utc"], p["votes"]) for p in posts]
    assert got == [
        ("question/7100", None, "slipcaster", "2014-08-17T15:48:07Z", 4),
        ("answer/7105", None, "kilnwright", "2014-08-17T18:31:08Z", 12),
        ("comment/3901", "answer/7105", "slipcaster", "2014-08-17T21:17:22Z", 0),
        ("comment/3902", "answer/7105", "kilnwright", "2014-08-17T21:55:35Z", 3),
    ]
    assert posts[1]["extra"] == {"edited": "2014-08-17T21:57:23Z", "accepted": True}
    assert posts[3]["extra"] == {"comments_not_shown": 2}
    assert posts[2]["body_text"] == "Which elements?"


def test_community_wiki_question_dated_by_the_asked_line(tmp_path):
    """A real 2020 community wiki question had no date: its only time is the header's 'Asked' line."""
    wiki_question = SE_2020.replace(
        '<div id="question-header">',
        '<div class="grid"><span class="fc-light">Asked</span>'
        '<time itemprop="dateCreated" datetime="2019-02-03T08:15:00">1 year ago</time></div>'
        '<div id="question-header">').replace(
        """ <div class="post-signature owner grid--cell"><div class="user-info">\n   <div class="user-action-time">"""
        """asked <span title="2019-02-03 08:15:00Z" class="relativetime">Feb 3 '19</span></div>""",
        """ <div class="post-signature grid--cell"><div class="user-info"><div class="user-details">
   <span class="community-wiki">community wiki</span></div><br><div class="user-details">""")
    assert "Asked" in wiki_question and "asked <span" not in wiki_question.split('id="answers"')[0]
    page = tmp_path / "q.html"
    page.write_text(wiki_question)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    question = read_jsonl(tmp_path / "o" / "posts.jsonl")[0]
    assert question["published_utc"] == "2019-02-03T08:15:00Z"
    assert question["extra"]["community_wiki"] is True


def test_local_crawl_takes_the_question_and_nothing_else(tmp_path):
    """Thread scope on a question page: the page itself; its vote, edit and share links are not pages."""
    from tests.capture_servers import crawl_sample

    case = SAMPLES / "stackexchange" / "se-2022-accepted-answer"
    path = "/questions/48211/why-does-my-sourdough-starter-smell-like-acetone"
    assert crawl_sample(tmp_path / "crawl", "https://cooking.stackexchange.example",
                        {path: (case / "page.html").read_bytes()}) == [path]
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in read_jsonl(tmp_path / "ds" / "posts.jsonl")] == [p["id"] for p in expected["posts"]]


# 2024 markup as a real Portuguese-language site serves it (invented names and text): with no accepted answer, the
# top-scored answer still carries itemprop="acceptedAnswer" (data-highest-scored="1"), but neither the
# accepted-answer class nor a visible check mark; signatures are in the site's language ("editada" before
# "respondida"); comment times carry the licence after a comma.
SE_2024 = """<html><head><link rel="stylesheet" href="https://cdn.sstatic.net/Shared/stacks.css"></head>
<body class="question-page unified-theme"><div id="question-header"><h1><a class="question-hyperlink"
href="/questions/9100/x">Esmalte escorre?</a></h1></div>
<div class="question js-question" data-questionid="9100" data-score="2" id="question">
 <div class="js-vote-count" itemprop="upvoteCount" data-value="2">2</div>
 <div class="s-prose js-post-body" itemprop="text"><p>O esmalte escorre no forno.</p></div>
 <div class="post-signature owner flex--item"><div class="user-info "><div class="user-action-time fl-grow1">
  perguntada <span title='2018-04-29 21:17:19Z' class='relativetime'>29/04/2018 às 21:17</span></div>
  <div class="user-details" itemprop="author"><a href="/users/11/oleira">oleira</a></div></div></div>
 <ul class="comments-list js-comments-list" data-remaining-comments-count="0">
  <li id="comment-700" class="comment js-comment " data-comment-id="700" data-comment-owner-id="12"
   data-comment-score="0"><div class="comment-score js-comment-score js-comment-edit-hide"></div>
   <span class="comment-copy">Marque uma resposta.</span> &ndash;&nbsp;<a href="/users/12/torno"
   class="comment-user">torno</a> <span title='2018-05-27 06:16:39Z, Licen&#231;a: CC BY-SA 4.0'
   class='relativetime-clean'>27/05/2018 às 6:16</span></li></ul>
</div>
<div id="answers"><div id="answers-header"><h2 data-answercount="1">1 Resposta</h2></div>
<div id="answer-9111" class="answer js-answer" data-answerid="9111" data-parentid="9100" data-score="6"
 data-highest-scored="1" data-question-has-accepted-highest-score="0" itemprop="acceptedAnswer">
 <div class="js-vote-count" itemprop="upvoteCount" data-value="6">6</div>
 <div class="js-accepted-answer-indicator flex--item fc-green-400 py6 mtn8 d-none" aria-label="Aceito"></div>
 <div class="s-prose js-post-body" itemprop="text"><p>Aplique mais fino.</p></div>
 <div class="post-signature flex--item fl0"><div class="user-info user-hover "><div class="user-action-time">
  <a href="/posts/9111/revisions">editada <span title='2018-04-29 23:47:45Z' class='relativetime'>29/04/2018</span></a>
  </div><div class="user-details"><a href="/users/13/forneira">forneira</a></div></div></div>
 <div class="post-signature flex--item fl0"><div class="user-info user-hover "><div class="user-action-time">
  respondida <span title='2018-04-29 21:38:50Z' class='relativetime'>29/04/2018 às 21:38</span></div>
  <div class="user-details" itemprop="author"><a href="/users/14/vidrado">vidrado</a></div></div></div>
 <ul class="comments-list js-comments-list" data-remaining-comments-count="2">
  <li id="comment-701" class="comment js-comment " data-comment-id="701" data-comment-owner-id="11"
   data-comment-score="1"><div class="comment-score js-comment-score"><span class="cool">1</span></div>
   <span class="comment-copy">Funcionou.</span> &ndash;&nbsp;<a href="/users/11/oleira" class="comment-user">oleira</a>
   <span title='2018-04-29 21:40:15Z, Licen&#231;a: CC BY-SA 3.0' class='relativetime-clean'>29/04/2018</span></li>
 </ul></div></div></body></html>"""


def test_2024_markup_top_answer_is_not_accepted_without_the_class(tmp_path):
    """A real 2024 page whose question asks for an answer to be accepted: its top answer is itemprop
    acceptedAnswer all the same. Owners, editors, times and scores are the page's."""
    page = tmp_path / "q.html"
    page.write_text(SE_2024)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    got = [(p["id"], p["parent_id"], p["author_name"], p["published_utc"], p["votes"], p["extra"])
           for p in read_jsonl(tmp_path / "o" / "posts.jsonl")]
    assert got == [
        ("question/9100", None, "oleira", "2018-04-29T21:17:19Z", 2, {}),
        ("comment/700", "question/9100", "torno", "2018-05-27T06:16:39Z", 0, {}),
        ("answer/9111", None, "vidrado", "2018-04-29T21:38:50Z", 6, {"edited": "2018-04-29T23:47:45Z"}),
        ("comment/701", "answer/9111", "oleira", "2018-04-29T21:40:15Z", 1, {"comments_not_shown": 2}),
    ]
