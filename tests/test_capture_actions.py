"""Action links (vote, rate, like, thank, react, flag ...) are never followed, whatever the engine or scope."""

from __future__ import annotations

from harvester.capture.crawl import Config, Crawler
from harvester.capture.scope import trap_reason
from tests.capture_servers import Forum, Server, forum_app

# One line per engine form, written from each engine's templates and routes (see the notes on engines).
ACTIONS = [
    # Drupal: Rate module ?rate=TOKEN on the page's own URL (also with a pager), Vote Up/Down, Flag, Fivestar
    "http://f.org/node/12?rate=Xk3v9sQ0pZ-aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV",
    "http://f.org/node/12?page=2&rate=Xk3v9sQ0pZ",
    "http://f.org/?q=node/12&rate=Xk3v9sQ0pZ",
    "http://f.org/vote/node/12/1/vote/updown/Xk3v9sQ0pZ",
    "http://f.org/flag/flag/bookmarks/12?destination=node/12&token=abcdef",
    "http://f.org/fivestar/vote/node/12/80",
    "http://f.org/rate/vote/js?widget_id=1&content_type=node&content_id=12",
    "http://f.org/user/login-to-rate?destination=node/12",
    "http://f.org/?q=vote/node/12/1/vote/updown/tok",
    # phpBB: Thanks for posts extension, bookmark / watch / mark-read links carry hash=
    "http://f.org/viewtopic.php?f=2&t=7&p=40&thanks=40&to_id=3",
    "http://f.org/viewtopic.php?f=2&t=7&p=40&rthanks=40&to_id=3",
    "http://f.org/viewtopic.php?f=2&t=7&bookmark=1&hash=a1b2c3d4",
    "http://f.org/viewtopic.php?uid=2&f=2&t=7&watch=topic&start=0&hash=a1b2c3d4",
    "http://f.org/index.php?hash=a1b2c3d4&mark=forums",
    "http://f.org/report.php?p=40",
    # vBulletin 3/4: reputation, Post Thank You Hack, subscriptions, reports
    "http://f.org/reputation.php?p=1234",
    "http://f.org/post_thanks.php?do=post_thanks_add&p=1234",
    "http://f.org/showthread.php?do=post_thanks_remove_user&p=1234",
    "http://f.org/subscription.php?do=addsubscription&t=55",
    "http://f.org/forumdisplay.php?do=markread&f=3",
    # XenForo 1/2: like, react, vote, report, bookmark (friendly and index.php? URLs)
    "http://f.org/posts/1234/like",
    "http://f.org/posts/1234/react?reaction_id=1",
    "http://f.org/posts/1234/vote?type=up",
    "http://f.org/posts/1234/report",
    "http://f.org/posts/1234/bookmark",
    "http://f.org/index.php?posts/1234/like",
    "http://f.org/threads/a-topic.55/watch",
    "http://f.org/threads/a-topic.55/vote?_xfToken=1,abc",
    # SMF 1.x/2.x: karma, likes (2.1), notify, report; ; separates the query
    "http://f.org/index.php?action=modifykarma;sa=applaud;uid=5;topic=9.0;sesc=ab12",
    "http://f.org/index.php?action=like;ltype=msg;sa=like;like=77;abcd=1234",
    "http://f.org/index.php?action=reporttm;topic=9.0;msg=77",
    "http://f.org/index.php?action=markasread;sa=all",
    "http://f.org/index.php?action=thankyou;msg=77",
    # MyBB: reputation, Thank You/Like plugin, reports, subscriptions
    "http://f.org/reputation.php?action=add&uid=4&pid=90",
    "http://f.org/thankyoulike.php?action=add&pid=90&my_post_key=abc",
    "http://f.org/report.php?type=post&pid=90",
    "http://f.org/usercp2.php?action=addsubscription&tid=12&my_post_key=abc",
    "http://f.org/misc.php?action=markread&fid=2",
    # Invision: reactions, reports, follow (do= with csrfKey)
    "http://f.org/topic/12-a-topic/?do=showReactionsComment&comment=5&reaction=1",
    "http://f.org/topic/12-a-topic/?do=react&comment=5&reaction=1&csrfKey=abc",
    "http://f.org/topic/12-a-topic/?do=reportComment&comment=5",
    "http://f.org/index.php?app=core&module=global&section=reputation&do=add_rating&rating=1",
    # Discourse, Stack Exchange, Reddit, Vanilla, Hacker News
    "http://f.org/post_actions/123",
    "http://f.org/posts/99/vote/2",
    "http://f.org/api/vote?id=t3_abc&dir=1",
    "http://f.org/react/comment/like/55?tk=abc",
    "http://f.org/discussion/bookmark/55/abc",
    "http://f.org/vote?id=31337&how=up&auth=0123abcd&goto=item%3Fid%3D31330",
    "http://f.org/flag?id=31337&auth=0123abcd&goto=item%3Fid%3D31330",
    "http://f.org/fave?id=31337&auth=0123abcd",
    "http://f.org/hide?id=31337&goto=news",
]
# What the same engines link to for reading: must stay followable.
READING = [
    "http://f.org/node/12", "http://f.org/node/12?page=3", "http://f.org/?q=node/12", "http://f.org/forum/3",
    "http://f.org/viewtopic.php?f=2&t=7&start=15", "http://f.org/viewtopic.php?p=40#p40",
    "http://f.org/viewforum.php?f=2", "http://f.org/memberlist.php?mode=viewprofile&u=3",
    "http://f.org/showthread.php?t=55&page=2", "http://f.org/showthread.php?p=1234#post1234",
    "http://f.org/showpost.php?p=1234&postcount=3", "http://f.org/member.php?u=5",
    "http://f.org/threads/a-topic.55/page-2", "http://f.org/posts/1234/", "http://f.org/index.php?threads/a-topic.55/",
    "http://f.org/index.php?topic=9.15", "http://f.org/index.php?topic=9.msg77#msg77", "http://f.org/index.php?msg=77",
    "http://f.org/index.php?action=profile;u=5", "http://f.org/showthread.php?tid=12&page=2",
    "http://f.org/member.php?action=profile&uid=4", "http://f.org/Thread-a-topic?page=2",
    "http://f.org/topic/12-a-topic/page/2/", "http://f.org/topic/12-a-topic/?do=findComment&comment=5",
    "http://f.org/t/a-topic/123/2", "http://f.org/questions/99/a-question?page=2&tab=votes#tab-top",
    "http://f.org/r/sub/comments/abc/a_title/", "http://f.org/discussion/55/a-topic/p2",
    "http://f.org/item?id=31337", "http://f.org/user?id=someone", "http://f.org/news?p=2",
]


def test_every_engines_action_links_are_traps_and_reading_links_are_not():
    missed = [u for u in ACTIONS if not trap_reason(u)]
    assert not missed, missed
    wrongly = {u: trap_reason(u) for u in READING if trap_reason(u)}
    assert not wrongly, wrongly


class RatedForum(Forum):
    """Threads carry a Drupal Rate thumbs-up widget on the node and on each comment, as rate.module renders it:
    ``<a class="rate-button" href="/node/N?rate=TOKEN">`` (the page's own path, the token as the query)."""

    def thread(self, nid: int, page: int) -> str | None:
        html = super().thread(nid, page)
        if html is None:
            return None
        query = f"page={page}&" if page else ""
        widget = (f'<div class="rate-widget-1 rate-widget clear-block rate-average rate-widget-thumbs_up" '
                  f'id="rate-node-{nid}-1-1"><ul><li class="thumb-up">'
                  f'<a class="rate-button rate-thumbs-up-btn-up" id="rate-button-{nid}" rel="nofollow" '
                  f'href="/node/{nid}?{query}rate=tok{nid}x{page}">up</a></li></ul>'
                  f'<div class="rate-info">3 users have voted.</div></div>')
        return html.replace('<div class="content"><p>Opening post', widget + '<div class="content"><p>Opening post')


def test_site_scope_never_casts_a_rate_vote(tmp_path):
    forum = RatedForum()
    votes = []

    def record_votes(h):
        if "rate=" in h.path:
            votes.append(h.path)
        return None

    with Server(forum_app(forum, record_votes)) as srv:
        cfg = Config(seeds=[srv.url("/forum")], output=str(tmp_path), scope="site", requisites=False, delay=0,
                     timeout=5, loopback_only=True)
        crawler = Crawler(cfg, sleep=lambda s: None)
        crawler.run()
        log = srv.log
    assert votes == [], votes
    threads = {p.split("?")[0] for p in log if p.startswith("/node/")}
    assert threads == {f"/node/{n}" for n in forum.threads}  # every thread reached
    assert crawler.summary.failed == 0
