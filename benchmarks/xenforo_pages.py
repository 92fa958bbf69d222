# ruff: noqa: E501, W291, W293, E101  (the page templates keep XenForo's own long lines and whitespace)
"""Render XenForo 1.x and 2.x thread pages from invented data, with the chrome the real software emits.

Built from XenForo's public templates: XF1 ``post``/``message``/``bb_code_tag_quote`` (compiled templates in
jefflaplante/docker_mtc_app and thoinv/forums), XF2 ``post_macros`` (abubakar-iqbal/XfAddons) and the XF 2.0
compiled ``bb_code_tag_quote`` (rd1571/xenforo), plus the page shapes described in the project's engine notes.
Used once to write ``samples/xenforo/*`` and by the benchmark corpus; the tests use it for mutated pages.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

# --- phrases per language (the board's language pack) ------------------------------------------------------

MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "es": ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic"),
}
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
PHRASES = {
    "en": {"said": "{name} said:", "expand": "Click to expand...", "last_edited": "Last edited:",
           "joined": "Joined", "messages": "Messages", "likes_received": "Likes Received", "reaction_score": "Reaction score",
           "location": "Location", "page_of": "Page {page} of {last}", "next": "Next", "prev": "Prev",
           "today": "Today at {time}", "yesterday": "Yesterday at {time}", "weekday": "{day} at {time}",
           "at": "{date} at {time}", "others": "{names} and {n} others", "like_this": "like this.",
           "discussion": "Discussion in '{forum}' started by {user}, {date}.", "home": "Home", "forums": "Forums",
           "deleted_notice": "This message has been removed from public view.", "guest": "Guest",
           "deleted_by": "Deleted by {name}", "show": "Show...", "ignored": "You are ignoring content by this member.",
           "show_ignored": "Show ignored content", "reply": "Reply", "report": "Report", "like": "Like",
           "locked": "Not open for further replies.", "thread_starter": "Thread starter", "start_date": "Start date",
           "reactions": "Reactions:", "status": "Status", "xf1_deleted": "{name}'s post was deleted.",
           "new_posts": "New posts", "members": "Members", "whats_new": "What's new", "log_in": "Log in",
           "register": "Register", "search": "Search", "contact": "Contact us", "terms": "Terms and rules",
           "privacy": "Privacy policy", "help": "Help", "quote": "+ Quote", "share": "Share",
           "edited_by_mod": "Last edited by a moderator:", "meta_title": "{title} | {board}", "page_title": "Page {page}"},
    "de": {"said": "{name} sagte:", "expand": "Zum Erweitern klicken...", "last_edited": "Zuletzt bearbeitet:",
           "joined": "Registriert", "messages": "Beiträge", "likes_received": "Erhaltene Likes", "reaction_score": "Punkte Reaktionen",
           "location": "Ort", "page_of": "Seite {page} von {last}", "next": "Weiter", "prev": "Zurück",
           "today": "Heute um {time}", "yesterday": "Gestern um {time}", "weekday": "{day} um {time}",
           "at": "{date} um {time}", "others": "{names} und {n} weitere Personen", "like_this": "gefällt das.",
           "discussion": "Thema in '{forum}' gestartet von {user}, {date}.", "home": "Startseite", "forums": "Foren",
           "deleted_notice": "Dieser Beitrag wurde entfernt.", "guest": "Gast",
           "deleted_by": "Gelöscht von {name}", "show": "Zeigen...", "ignored": "Du ignorierst Inhalte dieses Mitglieds.",
           "show_ignored": "Ignorierte Inhalte anzeigen", "reply": "Antworten", "report": "Melden", "like": "Gefällt mir",
           "locked": "Für weitere Antworten geschlossen.", "thread_starter": "Ersteller", "start_date": "Erstellt am",
           "reactions": "Reaktionen:", "status": "Status", "xf1_deleted": "Der Beitrag von {name} wurde gelöscht.",
           "new_posts": "Neue Beiträge", "members": "Mitglieder", "whats_new": "Was ist neu?", "log_in": "Anmelden",
           "register": "Registrieren", "search": "Suche", "contact": "Kontakt", "terms": "Nutzungsbedingungen",
           "privacy": "Datenschutz", "help": "Hilfe", "quote": "+ Zitat", "share": "Teilen",
           "edited_by_mod": "Zuletzt von einem Moderator bearbeitet:", "meta_title": "{title} | {board}", "page_title": "Seite {page}"},
    "fr": {"said": "{name} a dit:", "expand": "Cliquez pour agrandir...", "last_edited": "Dernière édition:",
           "joined": "Inscrit", "messages": "Messages", "likes_received": "J'aime reçus", "reaction_score": "Score de réaction",
           "location": "Localisation", "page_of": "Page {page} sur {last}", "next": "Suivante", "prev": "Précédente",
           "today": "Aujourd'hui à {time}", "yesterday": "Hier à {time}", "weekday": "{day} à {time}",
           "at": "{date} à {time}", "others": "{names} et {n} autres personnes", "like_this": "aiment ça.",
           "discussion": "Discussion dans '{forum}' créé par {user}, {date}.", "home": "Accueil", "forums": "Forums",
           "deleted_notice": "Ce message a été retiré de la vue publique.", "guest": "Invité",
           "deleted_by": "Supprimé par {name}", "show": "Afficher...", "ignored": "Vous ignorez le contenu de ce membre.",
           "show_ignored": "Afficher le contenu ignoré", "reply": "Répondre", "report": "Signaler", "like": "J'aime",
           "locked": "Fermé à de nouvelles réponses.", "thread_starter": "Auteur de la discussion", "start_date": "Date de début",
           "reactions": "Réactions:", "status": "Statut", "xf1_deleted": "Le message de {name} a été supprimé.",
           "new_posts": "Nouveaux messages", "members": "Membres", "whats_new": "Quoi de neuf", "log_in": "Connexion",
           "register": "Inscription", "search": "Rechercher", "contact": "Nous contacter", "terms": "Règles",
           "privacy": "Politique de confidentialité", "help": "Aide", "quote": "+ Citer", "share": "Partager",
           "edited_by_mod": "Dernière édition par un modérateur:", "meta_title": "{title} | {board}", "page_title": "Page {page}"},
    "es": {"said": "{name} dijo:", "expand": "Click para expandir...", "last_edited": "Última edición:",
           "joined": "Registrado", "messages": "Mensajes", "likes_received": "Me gusta recibidos", "reaction_score": "Puntuación de reacciones",
           "location": "Ubicación", "page_of": "Página {page} de {last}", "next": "Siguiente", "prev": "Anterior",
           "today": "Hoy a las {time}", "yesterday": "Ayer a las {time}", "weekday": "{day} a las {time}",
           "at": "{date} a las {time}", "others": "{names} y {n} personas más", "like_this": "les gusta esto.",
           "discussion": "Tema en '{forum}' iniciado por {user}, {date}.", "home": "Inicio", "forums": "Foros",
           "deleted_notice": "Este mensaje ha sido retirado de la vista pública.", "guest": "Invitado",
           "deleted_by": "Eliminado por {name}", "show": "Mostrar...", "ignored": "Estás ignorando el contenido de este miembro.",
           "show_ignored": "Mostrar contenido ignorado", "reply": "Responder", "report": "Reportar", "like": "Me gusta",
           "locked": "No está abierto para más respuestas.", "thread_starter": "Autor del tema", "start_date": "Fecha de inicio",
           "reactions": "Reacciones:", "status": "Estado", "xf1_deleted": "El mensaje de {name} fue eliminado.",
           "new_posts": "Nuevos mensajes", "members": "Miembros", "whats_new": "Novedades", "log_in": "Iniciar sesión",
           "register": "Registrarse", "search": "Buscar", "contact": "Contáctanos", "terms": "Términos y reglas",
           "privacy": "Política de privacidad", "help": "Ayuda", "quote": "+ Citar", "share": "Compartir",
           "edited_by_mod": "Última edición por un moderador:", "meta_title": "{title} | {board}", "page_title": "Página {page}"},
}
IP_NAME, IP_JOB, IP_URL, IP_TEXT = ' itemprop="name"', ' itemprop="jobTitle"', ' itemprop="url"', 'itemprop="text"'
LOCALE_TAGS = {"en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES"}


@dataclass
class Member:
    name: str
    user_id: int | None  # None: a guest (user_id 0 in XenForo)
    title: str = "Member"
    joined: datetime | None = None
    messages: int = 0
    location: str | None = None
    avatar: bool = True

    @property
    def slug(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.name.lower()).strip("-")

    def path(self) -> str:
        return f"members/{self.slug}.{self.user_id}/"


@dataclass
class Post:
    id: int
    author: Member
    when: datetime  # aware, UTC
    body: str  # inner HTML of the bbWrapper / messageText (quotes rendered by quote())
    likes: list[str] = field(default_factory=list)  # names shown first
    others: int = 0  # "and N others"
    reactions: tuple[str, ...] = ("Like",)  # reaction kinds shown in the XF2 summary
    score: int | None = None  # XF2 microdata reaction score; defaults to the people count
    edited: datetime | None = None
    edited_by_mod: bool = False
    deleted: bool = False
    deleted_by: str | None = None
    ignored: bool = False
    signature: str | None = None


@dataclass
class Thread:
    site: str  # scheme://host, no trailing slash
    thread_id: int
    slug: str
    title: str
    board: str
    board_path: str  # e.g. "forums/bikes.5/"
    crumbs: list[tuple[str, str]]  # (name, path) before the board
    board_title: str
    pages: list[list[Post]]
    lang: str = "en"
    tz: timezone = UTC  # the board's default zone, used for displayed times
    now: datetime | None = None  # render time, for "Today"/"Yesterday"
    locked: bool = False
    xf2_version: str = "2.2.13"

    def url(self, page: int = 1) -> str:
        return f"{self.site}/threads/{self.slug}.{self.thread_id}/" + (f"page-{page}" if page > 1 else "")

    def path(self, page: int = 1) -> str:
        return f"threads/{self.slug}.{self.thread_id}/" + (f"page-{page}" if page > 1 else "")

    @property
    def starter(self) -> Post:
        return self.pages[0][0]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# --- dates --------------------------------------------------------------------------------------------------


def date_string(t: Thread, when: datetime) -> str:
    local = when.astimezone(t.tz)
    month = MONTHS[t.lang][local.month - 1]
    if t.lang == "en":
        return f"{month} {local.day}, {local.year}"
    if t.lang == "de":
        return f"{local.day}. {month} {local.year}"
    return f"{local.day} {month} {local.year}"


def time_string(t: Thread, when: datetime) -> str:
    local = when.astimezone(t.tz)
    if t.lang == "en":
        return local.strftime("%I:%M %p").lstrip("0")
    return local.strftime("%H:%M")


def full_string(t: Thread, when: datetime) -> str:
    return PHRASES[t.lang]["at"].format(date=date_string(t, when), time=time_string(t, when))


def relative_string(t: Thread, when: datetime) -> str | None:
    """XenForo's relative form for the last week ("Today at 10:15 AM"), None when older."""
    if t.now is None:
        return None
    local, now = when.astimezone(t.tz), t.now.astimezone(t.tz)
    days = (now.date() - local.date()).days
    p = PHRASES[t.lang]
    if days == 0:
        return p["today"].format(time=time_string(t, when))
    if days == 1:
        return p["yesterday"].format(time=time_string(t, when))
    if 1 < days < 7:
        return p["weekday"].format(day=WEEKDAYS[t.lang][local.weekday()], time=time_string(t, when))
    return None


def xf1_date(t: Thread, when: datetime) -> str:
    """``datetimehtml``: an abbr with the epoch for recent dates, a span with the full date in title otherwise."""
    rel = relative_string(t, when)
    if rel:
        return (f'<abbr class="DateTime" data-time="{int(when.timestamp())}" data-diff="{int((t.now - when).total_seconds())}" '
                f'data-datestring="{esc(date_string(t, when))}" data-timestring="{esc(time_string(t, when))}">{esc(rel)}</abbr>')
    return f'<span class="DateTime" title="{esc(full_string(t, when))}">{esc(date_string(t, when))}</span>'


def xf2_date(t: Thread, when: datetime, itemprop: str = "") -> str:
    """``xf:date``: a time element with ISO datetime (offset without colon), epoch and strings."""
    local = when.astimezone(t.tz)
    iso = local.strftime("%Y-%m-%dT%H:%M:%S%z")
    shown = relative_string(t, when) or date_string(t, when)
    prop = f' itemprop="{itemprop}"' if itemprop else ""
    return (f'<time  class="u-dt" dir="auto" datetime="{iso}" data-time="{int(when.timestamp())}" '
            f'data-date-string="{esc(date_string(t, when))}" data-time-string="{esc(time_string(t, when))}" '
            f'title="{esc(full_string(t, when))}"{prop}>{esc(shown)}</time>')


# --- bodies ---------------------------------------------------------------------------------------------------


def xf1_quote(t: Thread, name: str, post_id: int | None, inner: str) -> str:
    said = esc(PHRASES[t.lang]["said"].format(name=name))
    link = (f'\n\t\t\t\t\t<a href="goto/post?id={post_id}#post-{post_id}" class="AttributionLink">&uarr;</a>\n\t\t\t\t'
            if post_id else "")
    return (f'<div class="bbCodeBlock bbCodeQuote" data-author="{esc(name)}">\n\t<aside>\n\t\t\n\t\t\t<div class="attribution type">{said}{link}\n\t\t\t</div>\n\t\t\n'
            f'\t\t<blockquote class="quoteContainer"><div class="quote">{inner}</div><div class="quoteExpand">{esc(PHRASES[t.lang]["expand"])}</div></blockquote>\n\t</aside>\n</div>')


def xf2_quote(t: Thread, name: str, post_id: int | None, member_id: int | None, inner: str) -> str:
    said = esc(PHRASES[t.lang]["said"].format(name=name))
    attrs = (f' data-attributes="member: {member_id}"' if member_id else ' data-attributes=""') + f' data-quote="{esc(name)}"'
    attrs += f' data-source="post: {post_id}"' if post_id else ' data-source=""'
    title = (f'<a href="/goto/post?id={post_id}"\n\t\t\t\t\tclass="bbCodeBlock-sourceJump"\n\t\t\t\t\trel="nofollow"\n\t\t\t\t\tdata-xf-click="attribution"\n\t\t\t\t\tdata-content-selector="#post-{post_id}">{said}</a>'
             if post_id else said)
    return (f'<blockquote{attrs} class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote js-expandWatch">\n'
            f'\t\n\t\t<div class="bbCodeBlock-title">\n\t\t\t\n\t\t\t\t{title}\n\t\t\t\n\t\t</div>\n\t\n'
            f'\t<div class="bbCodeBlock-content">\n\t\t\n\t\t<div class="bbCodeBlock-expandContent js-expandContent ">\n\t\t\t{inner}\n\t\t</div>\n'
            f'\t\t<div class="bbCodeBlock-expandLink js-expandLink"><a role="button" tabindex="0">{esc(PHRASES[t.lang]["expand"])}</a></div>\n\t</div>\n</blockquote>')


# --- XenForo 1 ------------------------------------------------------------------------------------------------


def _xf1_avatar(t: Thread, m: Member) -> str:
    if m.user_id is None:
        return f'<span class="avatar Av0m" data-avatarhtml="true"><img src="styles/default/xenforo/avatars/avatar_m.png" width="96" height="96" alt="{esc(m.name)}" /></span>'
    src = f"data/avatars/m/0/{m.user_id}.jpg?1400000000" if m.avatar else "styles/default/xenforo/avatars/avatar_m.png"
    return f'<a href="{m.path()}" class="avatar Av{m.user_id}m" data-avatarhtml="true"><img src="{src}" width="96" height="96" alt="{esc(m.name)}" /></a>'


def _xf1_user_info(t: Thread, m: Member) -> str:
    p = PHRASES[t.lang]
    if m.user_id is None:
        name = f'<span class="username" itemprop="name">{esc(m.name)}</span>'
        title = f'<em class="userTitle" itemprop="title">{esc(p["guest"])}</em>'
        extra = ""
    else:
        name = f'<a href="{m.path()}" class="username" dir="auto" itemprop="name">{esc(m.name)}</a>'
        title = f'<em class="userTitle" itemprop="title">{esc(m.title)}</em>'
        rows = [(p["joined"], esc(date_string(t, m.joined))),
                (p["messages"], f'<a href="search/member?user_id={m.user_id}" class="concealed" rel="nofollow">{m.messages:,}</a>'),
                (p["likes_received"], f"{m.messages // 3:,}")]
        if m.location:
            rows.append((p["location"], f'<a href="misc/location-info?location={esc(m.location)}" target="_blank" rel="nofollow" itemprop="address" class="concealed">{esc(m.location)}</a>'))
        extra = "\n\t\t<div class=\"extraUserInfo\">\n\t\t\t" + "".join(
            f"\n\t\t\t\t\t<dl class=\"pairsJustified\">\n\t\t\t\t\t\t<dt>{k}:</dt>\n\t\t\t\t\t\t<dd>{v}</dd>\n\t\t\t\t\t</dl>\n\t\t\t\t" for k, v in rows) + "\n\t\t</div>\n\t"
    return (f'<div class="messageUserInfo" itemscope="itemscope" itemtype="http://data-vocabulary.org/Person">\t\n<div class="messageUserBlock ">\n\t\n'
            f'\t\t<div class="avatarHolder">\n\t\t\t<span class="helper"></span>\n\t\t\t{_xf1_avatar(t, m)}\n\t\t\t<!-- slot: message_user_info_avatar -->\n\t\t</div>\n\t\n'
            f'\t\t<h3 class="userText">\n\t\t\t{name}\n\t\t\t{title}\n\t\t\t\n\t\t\t<!-- slot: message_user_info_text -->\n\t\t</h3>\n\t{extra}\n'
            f'\t<span class="arrow"><span></span></span>\n</div>\n</div>')


def _xf1_likes(t: Thread, post: Post) -> str:
    if not post.likes:
        return ""
    p = PHRASES[t.lang]
    links = [f'<a href="members/{n.lower().replace(" ", "-")}.{100 + i}/" class="username" dir="auto">{esc(n)}</a>' for i, n in enumerate(post.likes)]
    if post.others:
        others = p["others"].split("{n}")[1].strip()
        text = p["others"].format(names=", ".join(links), n=f'<a href="posts/{post.id}/likes" class="OverlayTrigger">{post.others}') .replace(f"{post.others} {others}", f"{post.others} {others}</a>")
    elif len(links) > 1:
        joiner = {"en": " and ", "de": " und ", "fr": " et ", "es": " y "}[t.lang]
        text = ", ".join(links[:-1]) + joiner + links[-1]
    else:
        text = links[0]
    single = {"en": "likes this.", "de": "gefällt das.", "fr": "aime ça.", "es": "le gusta esto."}[t.lang]
    verb = p["like_this"] if (post.others or len(links) > 1) else single
    return f'\n\t<div class="likesSummary secondaryContent">\n\t\t<span class="LikeText">\n\t\t\t{text} {verb}\n\t\t</span>\n\t</div>\n'


def xf1_post(t: Thread, post: Post, position: int) -> str:
    p = PHRASES[t.lang]
    m = post.author
    if post.deleted:  # the placeholder a moderator sees (post_deleted_placeholder)
        return (f'<li id="post-{post.id}" class="message deleted placeholder" data-author="{esc(m.name)}">\n'
                f'\t<div class="placeholderContent">\n\t\t{_xf1_avatar(t, m).replace("avatar Av", "avatar NoOverlay Av")}\n'
                f'\t\t<div class="messageInfo">\n\t\t\t<a href="posts/{post.id}/show" class="MessageLoader control item show" data-messageSelector="#post-{post.id}"><span></span>{esc(p["show"])}</a>\n'
                f'\t\t\t<span class="muted">{esc(p["xf1_deleted"].format(name=m.name))}</span>\n'
                f'\t\t\t<div class="muted deletionNote">{esc(p["deleted_by"].format(name=post.deleted_by or "Moderator"))}, {xf1_date(t, post.edited or post.when)}.</div>\n'
                f'\t\t</div>\n\t</div>\n</li>\n')
    author_html = (f'<a href="{m.path()}" class="username author" dir="auto">{esc(m.name)}</a>' if m.user_id is not None
                   else f'<span class="username author">{esc(m.name)}</span>')
    notices = ""
    if post.ignored:
        notices = f'\n\t\t\t<ul class="messageNotices">\n\t\t\t\t\n\t\t\t\t\t\t\t<li>{esc(p["ignored"])} <a href="javascript:" class="JsOnly DisplayIgnoredContent">{esc(p["show_ignored"])}</a></li>\n\t\t\t\t\t\t\n\t\t\t</ul>\n\t\t'
    edit = ""
    if post.edited:
        label = p["edited_by_mod"] if post.edited_by_mod else p["last_edited"]
        edit = f'\n\t\t\t<div class="editDate">\n\t\t\t\n\t\t\t\t{esc(label)} {xf1_date(t, post.edited)}\n\t\t\t\n\t\t\t</div>\n\t\t'
    sig = (f'\n\t\t\t<div class="baseHtml signature messageText ugc"><aside>{post.signature}</aside></div>\n\t\t' if post.signature else "")
    ignored = " ignored" if post.ignored else ""
    return (f'\n\n<li id="post-{post.id}" class="message   {"ignored" if post.ignored else ""}" data-author="{esc(m.name)}">\n\n\t{_xf1_user_info(t, m)}\n\n'
            f'\t<div class="messageInfo primaryContent">\n\t\t\n\t\t{notices}\n\t\t\n'
            f'\t\t<div class="messageContent">\t\t\n\t\t\t<article>\n\t\t\t\t<blockquote class="messageText SelectQuoteContainer ugc baseHtml{ignored}">\n\t\t\t\t\t\n\t\t\t\t\t{post.body}\n'
            f'\t\t\t\t\t<div class="messageTextEndMarker">&nbsp;</div>\n\t\t\t\t</blockquote>\n\t\t\t</article>\n\t\t\t\n\t\t\t\n\t\t</div>\n\t\t{edit}\n\t\t{sig}\n\t\t\n'
            f'\t\t<div class="messageMeta ToggleTriggerAnchor">\n\t\t\t\n\t\t\t<div class="privateControls">\n\t\t\t\t\n'
            f'\t\t\t\t<span class="item muted">\n\t\t\t\t\t<span class="authorEnd">{author_html},</span>\n'
            f'\t\t\t\t\t<a href="posts/{post.id}/" title="Permalink" class="datePermalink">{xf1_date(t, post.when)}</a>\n\t\t\t\t</span>\n\t\t\t\t\n'
            f'\t\t\t\t\n\t\t\t\t\t<a href="posts/{post.id}/report" class="OverlayTrigger item control report" data-cacheOverlay="false"><span></span>{esc(p["report"])}</a>\n\t\t\t\t\n\t\t\t\t\n\t\t\t</div>\n\t\t\t\n'
            f'\t\t\t<div class="publicControls">\n\t\t\t\t<a href="posts/{post.id}/" title="Permalink" class="item muted postNumber hashPermalink OverlayTrigger" data-href="posts/{post.id}/permalink">#{position}</a>\n'
            f'\t\t\t\t\n\t\t\t\t\t<a href="{t.path()}reply?quote={post.id}"\n\t\t\t\t\t\tdata-postUrl="posts/{post.id}/quote"\n\t\t\t\t\t\tdata-tip="#MQ-{post.id}"\n\t\t\t\t\t\tclass="ReplyQuote item control reply"\n\t\t\t\t\t\ttitle="Reply, quoting this message"><span></span>{esc(p["reply"])}</a>\n\t\t\t\t\n\t\t\t\t\n\t\t\t</div>\n\t\t</div>\n\t\n'
            f'\t\t<div id="likes-post-{post.id}">{_xf1_likes(t, post)}</div>\n\t</div>\n\n\t\n\t\n</li>\n')


def _xf1_pagenav(t: Thread, page: int) -> str:
    last = len(t.pages)
    if last < 2:
        return ""
    p = PHRASES[t.lang]
    items = []
    for n in range(1, last + 1):
        cls = "currentPage " if n == page else ""
        rel = ' rel="start"' if n == 1 else ""
        items.append(f'<a href="{t.path(n)}" class="{cls}"{rel}>{n}</a>')
    nxt = f'\n\t\t\t\t<a href="{t.path(page + 1)}" class="text">{esc(p["next"])} &gt;</a>' if page < last else ""
    prv = f'<a href="{t.path(page - 1)}" class="text">&lt; {esc(p["prev"])}</a>\n\t\t\t\t' if page > 1 else ""
    return (f'<div class="PageNav"\n\tdata-page="{page}"\n\tdata-range="2"\n\tdata-start="2"\n\tdata-end="{last - 1}"\n\tdata-last="{last}"\n\tdata-sentinel="{{{{sentinel}}}}"\n\tdata-baseurl="{t.path()}page-{{{{sentinel}}}}">\n'
            f'\t\n\t<span class="pageNavHeader">{esc(p["page_of"].format(page=page, last=last))}</span>\n\t\n\t<nav>\n\t\t{prv}'
            + "\n\t\t\t\t".join(items) + nxt + "\n\t</nav>\n\t\n</div>")


def _xf1_crumbs(t: Thread) -> str:
    p = PHRASES[t.lang]
    crumbs = [(p["home"], ""), *t.crumbs, (t.board, t.board_path)]
    out = []
    for i, (name, path) in enumerate(crumbs):
        first = " firstCrumb" if i == 0 else ""
        href = f"{t.site}/{path}"
        out.append(f'<span class="crumb{first}" itemscope="itemscope" itemtype="http://data-vocabulary.org/Breadcrumb">\n\t\t\t\t\t<a href="{href}" class="crumb" rel="up" itemprop="url"><span itemprop="title">{esc(name)}</span></a>\n\t\t\t\t\t<span class="arrow"><span>&gt;</span></span>\n\t\t\t\t</span>')
    return (f'<nav>\n\t<fieldset class="breadcrumb">\n\t\t<a href="misc/quick-navigation-menu" class="OverlayTrigger jumpMenuTrigger" data-cacheOverlay="true" title="Open quick navigation"><!--Jump to...--></a>\n'
            f'\t\t\t\n\t\t<div class="boardTitle"><strong>{esc(t.board_title)}</strong></div>\n\t\t\n\t\t<span class="crumbs">\n\t\t\t\t' + "\n\t\t\t\t".join(out) + "\n\t\t</span>\n\t</fieldset>\n</nav>")


def xf1_page(t: Thread, page: int) -> str:
    p = PHRASES[t.lang]
    posts = t.pages[page - 1]
    start = sum(len(x) for x in t.pages[: page - 1])
    items = "".join(xf1_post(t, post, start + i + 1) for i, post in enumerate(posts))
    # an ad slot between the first and second post: an li without an id (ad_thread_view_below_messages style)
    if len(posts) > 1:
        first_end = items.find("</li>") + 5
        items = items[:first_end] + '\n<li class="message adMessage"><div class="messageUserInfo"></div><div class="messageInfo primaryContent"><div class="adSlot"><a href="https://ads.example.net/click?c=77" rel="nofollow sponsored"><img src="https://ads.example.net/banner/468x60.png" alt="Advertisement" width="468" height="60" /></a></div></div></li>' + items[first_end:]
    title = esc(t.title) + (f" | {esc(p['page_title'].format(page=page))}" if page > 1 else "")
    starter = t.starter.author
    starter_html = f'<a href="{starter.path()}" class="username" dir="auto">{esc(starter.name)}</a>' if starter.user_id else esc(starter.name)
    description = p["discussion"].format(forum=f'<a href="{t.board_path}">{esc(t.board)}</a>', user=starter_html,
                                         date=f'<a href="{t.path()}">{xf1_date(t, t.starter.when)}</a>')
    prev_next = "".join(
        f'\n\t<link rel="{rel}" href="{t.path(n)}" />' for rel, n in (("prev", page - 1), ("next", page + 1)) if 1 <= n <= len(t.pages))
    locked = (f'\n\t<dl class="threadAlerts secondaryContent">\n\t\t<dt>{esc(p["status"])}:</dt>\n\t\t\n\t\t\t\t\t<dd class="lockedAlert">\n\t\t\t\t\t\t<span class="icon Tooltip" title="Locked" data-tipclass="iconTip"></span>\n\t\t\t\t\t\t\t{esc(p["locked"])}</dd>\n\t\t\t\n\t</dl>\n'
              if t.locked else "")
    pagenav = _xf1_pagenav(t, page)
    return f"""<!DOCTYPE html>
<html id="XenForo" lang="{LOCALE_TAGS[t.lang]}" dir="LTR" class="Public NoJs LoggedOut NoSidebar  Responsive" xmlns:fb="http://www.facebook.com/2008/fbml">
<head>

	<meta charset="utf-8" />
	<meta http-equiv="X-UA-Compatible" content="IE=Edge,chrome=1" />
	
		<meta name="viewport" content="width=device-width, initial-scale=1" />
	
	
		<base href="{t.site}/" />
		<script>
			var _b = document.getElementsByTagName('base')[0], _bH = "{t.site}/";
			if (_b && _b.href != _bH) _b.href = _bH;
		</script>
	

	<title>{title} | {esc(t.board_title)}</title>
	
	<noscript><style>.JsOnly, .jsOnly {{ display: none !important; }}</style></noscript>
	<link rel="stylesheet" href="css.php?css=xenforo,form,public&amp;style=1&amp;dir=LTR&amp;d=1452081723" />
	<link rel="stylesheet" href="css.php?css=bb_code,likes_summary,login_bar,message,message_user_info,thread_view&amp;style=1&amp;dir=LTR&amp;d=1452081723" />
	

	<script>

	var _gaq = [['_setAccount', 'UA-0000000-1'], ['_trackPageview']];
	!function(d, t)
	{{
		var g = d.createElement(t),
			s = d.getElementsByTagName(t)[0];	
		g.async = true;
		g.src = ('https:' == d.location.protocol ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js';
		s.parentNode.insertBefore(g, s);
	}}
	(document, 'script');

	</script>
		<script src="js/jquery/jquery-1.11.0.min.js"></script>	
		
	<script src="js/xenforo/xenforo.js?_v=5a2fdbce"></script>

	
	<link rel="apple-touch-icon" href="{t.site}/styles/default/xenforo/logo.og.png" />
	<link rel="alternate" type="application/rss+xml" title="RSS feed for {esc(t.board_title)}" href="forums/-/index.rss" />
	{prev_next}
	<link rel="canonical" href="{t.url(page)}" />
	<meta name="description" content="{esc(t.title)}" />	<meta property="og:site_name" content="{esc(t.board_title)}" />
	<meta property="og:type" content="article" />
	<meta property="og:url" content="{t.url()}" />
	<meta property="og:title" content="{esc(t.title)}" />
	
</head>

<body class="node5 node2 SelectQuotable">



	

<div id="loginBar">
	<div class="pageWidth">
		<div class="pageContent">	
			<h3 id="loginBarHandle">
				<label for="LoginControl"><a href="login/" class="concealed noOutline">{esc(p["log_in"])} or {esc(p["register"])}</a></label>
			</h3>
			<span class="helper"></span>
		</div>
	</div>
</div>


<div id="headerMover">
	<div id="headerProxy"></div>

<div id="content" class="thread_view">
	<div class="pageWidth">
		<div class="pageContent">
			<!-- main content area -->
			
			<div class="mainContainer">
				<div class="mainContent">
						
						<div class="breadBoxTop ">
							
							{_xf1_crumbs(t)}
						</div>
						
						<!--[if lt IE 8]>
							<p class="importantMessage">You are using an out of date browser. It  may not display this or other websites correctly.<br />You should upgrade or use an <a href="https://www.google.com/chrome/browser/" target="_blank">alternative browser</a>.</p>
						<![endif]-->

						
						
						
						
							<!-- h1 title, description -->
							<div class="titleBar">
								
								<h1>{esc(t.title)}</h1>
								
								<p id="pageDescription" class="muted ">
	{description}
</p>
							</div>
						
						
						
						
						
						<!-- main template -->
						
{locked}
<div class="pageNavLinkGroup">
	<div class="linkGroup SelectionCountContainer">
		
	</div>

	{pagenav}

</div>

<form action="inline-mod/post/switch" method="post"
	class="InlineModForm section"
	data-cookieName="posts"
	data-controls="#InlineModControls"
	data-imodOptions="#ModerationSelect option">

	<ol class="messageList" id="messageList">
		
			
{items}
		
	</ol>

	
	<input type="hidden" name="_xfToken" value="" />

</form>

<div class="pageNavLinkGroup">
	
	{pagenav}
</div>

<div class="sharePage">
	<h3 class="textHeading larger">{esc(p["share"])}</h3>
	<div class="tweet shareControl"><a href="https://twitter.com/share" class="twitter-share-button" data-count="horizontal" data-lang="en-US" data-url="{t.url()}" data-text="{esc(t.title)}">Tweet</a></div>
</div>
						
						
						
						
						
						<div class="breadBoxBottom">{_xf1_crumbs(t)}</div>
						
						
				</div>
			</div>
			
		</div>
	</div>
</div>

<header>
	

<div id="header">
	<div id="logoBlock">
	<div class="pageWidth">
		<div class="pageContent">
			
			
			<div id="logo"><a href="{t.site}/">
				<span></span>
				<img src="styles/default/xenforo/logo.png" alt="{esc(t.board_title)}" />
			</a></div>
			
			<span class="helper"></span>
		</div>
	</div>
</div>
	

<div id="navigation" class="pageWidth withSearch">
	<div class="pageContent">
		<nav>

<div class="navTabs">
	<ul class="publicTabs">
	
		<li class="navTab home PopupClosed"><a href="{t.site}/" class="navLink">{esc(p["home"])}</a></li>
		<li class="navTab forums selected"><a href="{t.site}/" class="navLink">{esc(p["forums"])}</a>
			<a href="{t.site}/" class="SplitCtrl" rel="Menu"></a>
			<div class="tabLinks forumsTabLinks">
				<ul class="secondaryContent blockLinksList">
					<li><a href="search/?type=post">Search Forums</a></li>
					<li><a href="find-new/posts" rel="nofollow">Recent Posts</a></li>
				</ul>
			</div>
		</li>
		<li class="navTab members Popup PopupControl PopupClosed"><a href="members/" class="navLink">{esc(p["members"])}</a></li>
	</ul>
</div>

<span class="helper"></span>
			
		</nav>	
	</div>
</div>
	

<div id="searchBar" class="pageWidth">
	
	<span id="QuickSearchPlaceholder" title="{esc(p["search"])}">{esc(p["search"])}</span>
	<fieldset id="QuickSearch">
		<form action="search/search" method="post" class="formPopup">
			<div class="primaryControls">
				<input type="search" name="keywords" value="" class="textCtrl" placeholder="{esc(p["search"])}..." results="0" title="Enter your search and hit enter" id="QuickSearchQuery" />
			</div>
		</form>
	</fieldset>
	
</div>
</header>

</div>

<footer>
	


<div class="footer">
	<div class="pageWidth">
		<div class="pageContent">
			
			<dl class="choosers">
				<dt>Language</dt>
				<dd><a href="misc/language?redirect=/{t.path(page)}" class="OverlayTrigger Tooltip" title="Language Chooser" rel="nofollow">{ {"en": "English (US)", "de": "Deutsch", "fr": "Français", "es": "Español"}[t.lang] }</a></dd>
			</dl>
			
			<ul class="footerLinks">
				<li><a href="misc/contact" class="OverlayTrigger" data-overlayOptions="{{&quot;fixed&quot;:false}}">{esc(p["contact"])}</a></li>
				<li><a href="help/">{esc(p["help"])}</a></li>
				<li><a href="{t.site}/" class="homeLink">{esc(p["home"])}</a></li>
				<li><a href="/{t.path(page)}#navigation" class="topLink">Top</a></li>
				<li><a href="forums/-/index.rss" rel="alternate" class="globalFeed" target="_blank"
					title="RSS feed for {esc(t.board_title)}">RSS</a></li>
			</ul>
			
			<span class="helper"></span>
		</div>
	</div>
</div>

<div class="footerLegal">
	<div class="pageWidth">
		<div class="pageContent">
			<ul id="legal">
				<li><a href="help/terms">{esc(p["terms"])}</a></li>
			</ul>
			
			<div id="copyright"><a href="https://xenforo.com" class="concealed">Forum software by XenForo&trade; <span>&copy;2010-2015 XenForo Ltd.</span></a> </div>
			
		
			<span class="helper"></span>
		</div>
	</div>	
</div>

</footer>

<script>


jQuery.extend(true, XenForo,
{{
	visitor: {{ user_id: 0 }},
	serverTimeInfo:
	{{
		now: {int((t.now or t.starter.when).timestamp())},
		today: {int((t.now or t.starter.when).timestamp()) // 86400 * 86400},
		todayDow: 3
	}},
	_lightBoxUniversal: "0",
	_enableOverlays: "1",
	_animationSpeedMultiplier: "1",
	_overlayConfig:
	{{
		top: "10%",
		speed: 200,
		closeSpeed: 100,
		mask:
		{{
			color: "rgb(255, 255, 255)",
			opacity: "0.6",
			loadSpeed: 200,
			closeSpeed: 100
		}}
	}},
	_ignoredUsers: [],
	_loadedScripts: {{"thread_view":true,"message":true,"bb_code":true,"message_user_info":true,"likes_summary":true,"login_bar":true}},
	_cookieConfig: {{ path: "/", domain: "", prefix: "xf_"}},
	_csrfToken: "",
	_csrfRefreshUrl: "login/csrf-token-refresh",
	_jsVersion: "5a2fdbce",
	_noRtnProtect: false
}});
jQuery.extend(XenForo.phrases,
{{
	cancel: "Cancel",
	a_moment_ago:    "A moment ago",
	one_minute_ago:  "1 minute ago",
	x_minutes_ago:   "%minutes% minutes ago",
	today_at_x:      "Today at %time%",
	yesterday_at_x:  "Yesterday at %time%",
	day_x_at_time_y: "%day% at %time%",
	_months: "January,February,March,April,May,June,July,August,September,October,November,December",
	_daysShort: "Sun,Mon,Tue,Wed,Thu,Fri,Sat"
}});
</script>

</body>
</html>
"""


# --- XenForo 2 ------------------------------------------------------------------------------------------------


def _xf2_avatar(t: Thread, m: Member, size: str = "m") -> str:
    if m.user_id is None:
        return (f'<span class="avatar avatar--{size} avatar--default avatar--default--dynamic" data-user-id="0" style="background-color: #a3c2e0; color: #3d6b99" title="{esc(m.name)}">\n'
                f'\t\t\t<span class="avatar-u0-{size}" role="img" aria-label="{esc(m.name)}">{esc(m.name[:1].upper())}</span> \n\t\t</span>')
    if not m.avatar:
        return (f'<a href="/{m.path()}" class="avatar avatar--{size} avatar--default avatar--default--dynamic" data-user-id="{m.user_id}" data-xf-init="member-tooltip" style="background-color: #cc9933; color: #3d2e0f">\n'
                f'\t\t\t<span class="avatar-u{m.user_id}-{size}" role="img" aria-label="{esc(m.name)}">{esc(m.name[:1].upper())}</span> \n\t\t</a>')
    return (f'<a href="/{m.path()}" class="avatar avatar--{size}" data-user-id="{m.user_id}" data-xf-init="member-tooltip">\n'
            f'\t\t\t<img src="/data/avatars/{size}/0/{m.user_id}.jpg?1650000000" srcset="/data/avatars/l/0/{m.user_id}.jpg?1650000000 2x" alt="{esc(m.name)}" class="avatar-u{m.user_id}-{size}" width="96" height="96" loading="lazy" itemprop="image" /> \n\t\t</a>')


def _xf2_user_info(t: Thread, m: Member, microdata: bool) -> str:
    p = PHRASES[t.lang]
    if m.user_id is None:
        md = ' itemprop="author" itemscope itemtype="https://schema.org/Person"' if microdata else ""
        return (f'<section class="message-user"{md}>\n\t\t<div class="message-avatar ">\n\t\t\t<div class="message-avatar-wrapper">\n\t\t\t\t{_xf2_avatar(t, m)}\n\t\t\t</div>\n\t\t</div>\n'
                f'\t\t<div class="message-userDetails">\n\t\t\t<h4 class="message-name"><span class="username " dir="auto" data-user-id="0"{IP_NAME if microdata else ""}>{esc(m.name)}</span></h4>\n'
                f'\t\t\t<h5 class="userTitle message-userTitle" dir="auto">{esc(p["guest"])}</h5>\n\t\t</div>\n\t\t<span class="message-userArrow"></span>\n\t</section>')
    url = f"{t.site}/{m.path()}"
    md = f' itemprop="author" itemscope itemtype="https://schema.org/Person" itemid="{url}"' if microdata else ""
    meta = f'\n\t\t<meta itemprop="url" content="{url}" />' if microdata else ""
    name_md = ' itemprop="name"' if microdata else ""
    rows = [(p["joined"], esc(date_string(t, m.joined))), (p["messages"], f"{m.messages:,}"),
            (p["reaction_score"], f"{m.messages // 4:,}")]
    if m.location:
        rows.append((p["location"], f'\n\t\t\t\t\t\t\n\t\t\t\t\t\t\t<a href="/misc/location-info?location={esc(m.location)}" rel="nofollow noreferrer" target="_blank" class="u-concealed">{esc(m.location)}</a>\n\t\t\t\t\t\t\n\t\t\t\t\t'))
    extras = "".join(f'\n\t\t\t\t\t<dl class="pairs pairs--justified">\n\t\t\t\t\t\t<dt>{k}</dt>\n\t\t\t\t\t\t<dd>{v}</dd>\n\t\t\t\t\t</dl>\n\t\t\t\t' for k, v in rows)
    return (f'<section class="message-user"{md}>{meta}\n\t\t<div class="message-avatar ">\n\t\t\t<div class="message-avatar-wrapper">\n\t\t\t\t{_xf2_avatar(t, m)}\n\t\t\t</div>\n\t\t</div>\n'
            f'\t\t<div class="message-userDetails">\n\t\t\t<h4 class="message-name"><a href="/{m.path()}" class="username " dir="auto" data-user-id="{m.user_id}" data-xf-init="member-tooltip"><span{name_md}>{esc(m.name)}</span></a></h4>\n'
            f'\t\t\t<h5 class="userTitle message-userTitle" dir="auto"{IP_JOB if microdata else ""}>{esc(m.title)}</h5>\n\t\t</div>\n'
            f'\t\t\n\t\t\t\n\t\t\t\n\t\t\t\t<div class="message-userExtras">\n\t\t\t\t{extras}\n\t\t\t\t</div>\n\t\t\t\n\t\t\n\t\t<span class="message-userArrow"></span>\n\t</section>')


_REACTION_IDS = {"Like": 1, "Love": 2, "Haha": 3, "Wow": 4, "Sad": 5, "Angry": 6}


def _xf2_reactions(t: Thread, post: Post) -> str:
    if not post.likes:
        return '<div class="reactionsBar js-reactionsList ">\n\t\t\t\n\t\t</div>'
    p = PHRASES[t.lang]
    kinds = "".join(f'<li><span class="reaction reaction--small reaction--{_REACTION_IDS[k]}" data-reaction-id="{_REACTION_IDS[k]}"><i aria-hidden="true"></i><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" class="reaction-sprite js-reaction" alt="{k}" title="{k}" /></span></li>' for k in post.reactions)
    names = [f"<bdi>{esc(n)}</bdi>" for n in post.likes]
    if post.others:
        text = p["others"].format(names=", ".join(names), n=post.others)
    elif len(names) > 1:
        joiner = {"en": " and ", "de": " und ", "fr": " et ", "es": " y "}[t.lang]
        text = ", ".join(names[:-1]) + joiner + names[-1]
    else:
        text = names[0]
    return (f'<div class="reactionsBar js-reactionsList is-active">\n\t\t\t\n\t<ul class="reactionSummary">\n\t\n\t\t{kinds}\n\t\n\t</ul>\n\n\n'
            f'<span class="u-srOnly">{esc(p["reactions"])}</span>\n<a class="reactionsBar-link" href="/posts/{post.id}/reactions" data-xf-click="overlay" data-cache="false" rel="nofollow">{text}</a>\n\t\t</div>')


def xf2_post(t: Thread, post: Post, position: int, first: bool) -> str:
    p = PHRASES[t.lang]
    m = post.author
    micro = not first
    user_attr = m.user_id or 0
    if post.deleted:
        who = (f'<a href="/{m.path()}" class="username  u-concealed" dir="auto" data-user-id="{user_attr}" data-xf-init="member-tooltip">{esc(m.name)}</a>'
               if m.user_id else f'<span class="username  u-concealed" dir="auto" data-user-id="0">{esc(m.name)}</span>')
        return (f'\n\t\t\t\t\t\t\n\n\t\n\n\t<div class="message message--deleted message--post  js-post js-inlineModContainer"\n\t\tdata-author="{esc(m.name)}"\n\t\tdata-content="post-{post.id}">\n\n'
                f'\t\t<span class="u-anchorTarget" id="post-{post.id}"></span>\n\t\t<div class="message-inner">\n\t\t\t<div class="message-cell message-cell--user">\n'
                f'\t\t\t\t<header class="message-user">\n\t\t\t\t\t<div class="message-avatar">\n\t\t\t\t\t\t<div class="message-avatar-wrapper">\n\t\t\t\t\t\t\t{_xf2_avatar(t, m, "s")}\n\t\t\t\t\t\t</div>\n\t\t\t\t\t</div>\n\t\t\t\t</header>\n\t\t\t</div>\n'
                f'\t\t\t<div class="message-cell message-cell--main">\n\t\t\t\t<div class="message-attribution">\n\t\t\t\t\t<ul class="listInline listInline--bullet message-attribution-main">\n'
                f'\t\t\t\t\t\t<li><a href="/{t.path()}post-{post.id}" class="u-concealed" rel="nofollow">{xf2_date(t, post.when)}</a></li>\n'
                f'\t\t\t\t\t\t<li>{who}</li>\n'
                f'\t\t\t\t\t</ul>\n\t\t\t\t</div>\n\n\t\t\t\t<div class="messageNotice messageNotice--deleted">\n\t\t\t\t\t\n\t{esc(p["deleted_by"].format(name=post.deleted_by or "Moderator"))}, {xf2_date(t, post.edited or post.when)}\n\n\n'
                f'\t\t\t\t\t<a href="/posts/{post.id}/show" class="u-jsOnly" data-xf-click="inserter" data-replace="[data-content=post-{post.id}]">{esc(p["show"])}</a>\n\t\t\t\t</div>\n\t\t\t</div>\n\t\t</div>\n\t</div>\n\n\t\n\n')
    md_attrs = f' itemscope itemtype="https://schema.org/Comment" itemid="{t.site}/posts/{post.id}/"' if micro else ""
    parent_meta = f'\n\n\t\t\n\t\t\t<meta itemprop="parentItem" itemscope itemid="{t.url()}" />\n\t\t' if micro else ""
    notices = ""
    if post.ignored:
        notices = f'\n\t\t<div class="messageNotice messageNotice--ignored">\n\t\t\t{esc(p["ignored"])}\n\t\t\t<a href="javascript:" class="js-showIgnored" data-xf-click="toggle-class" data-class="is-showingIgnored" data-target="< .message">{esc(p["show_ignored"])}</a>\n\t\t</div>\n\t'
    edit = ""
    if post.edited:
        label = p["edited_by_mod"] if post.edited_by_mod else p["last_edited"]
        edit = f'\n\t\t<div class="message-lastEdit">\n\t\t\t\n\t\t\t\t{esc(label)} {xf2_date(t, post.edited, "dateModified" if micro else "")}\n\t\t\t\n\t\t</div>\n\t'
    sig = ""
    if post.signature:
        sig = f'\n\t\t<aside class="message-signature">\n\t\t\n\t\t\t<div class="bbWrapper">{post.signature}</div>\n\t\t\n\t</aside>\n\t'
    score = post.score if post.score is not None else len(post.likes) + post.others
    microdata = (f'\n\t\t\t<div class="message-microdata" itemprop="interactionStatistic" itemtype="https://schema.org/InteractionCounter" itemscope>\n'
                 f'\t\t\t\t<meta itemprop="userInteractionCount" content="{score}" />\n\t\t\t\t<meta itemprop="interactionType" content="https://schema.org/LikeAction" />\n\t\t\t</div>\n\t\t' if micro else "")
    ignored = " is-ignored" if post.ignored else ""
    return (f'\n\t\t\t\t\t\t\n\n\t\n\n\t\n\t<article class="message message--post js-post js-inlineModContainer {ignored.strip()} "\n\t\tdata-author="{esc(m.name)}"\n\t\tdata-content="post-{post.id}"\n\t\tid="js-post-{post.id}"{md_attrs}>\n'
            f'{parent_meta}\n\n\t\t<span class="u-anchorTarget" id="post-{post.id}"></span>\n\n\t\t\n\t\t\t<div class="message-inner">\n\t\t\t\t\n\t\t\t\t\t<div class="message-cell message-cell--user">\n\t\t\t\t\t\t\n\t{_xf2_user_info(t, m, micro)}\n\n\t\t\t\t\t</div>\n\t\t\t\t\n\n'
            f'\t\t\t\t\n\t\t\t\t\t<div class="message-cell message-cell--main">\n\t\t\t\t\t\n\t\t\t\t\t\t<div class="message-main js-quickEditTarget">\n\n\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t\t\n\n'
            f'\t<header class="message-attribution message-attribution--split">\n\t\t<ul class="message-attribution-main listInline ">\n\t\t\t\n\t\t\t\n\t\t\t<li class="u-concealed">\n'
            f'\t\t\t\t<a href="/{t.path()}post-{post.id}" rel="nofollow"{IP_URL if micro else ""}>\n\t\t\t\t\t{xf2_date(t, post.when, "datePublished" if micro else "")}\n\t\t\t\t</a>\n\t\t\t</li>\n\t\t\t\n\t\t</ul>\n\n'
            f'\t\t<ul class="message-attribution-opposite message-attribution-opposite--list ">\n\t\t\t\n\t\t\t<li>\n\t\t\t\t<a href="/{t.path()}post-{post.id}"\n\t\t\t\t\tclass="message-attribution-gadget"\n\t\t\t\t\tdata-xf-init="share-tooltip"\n\t\t\t\t\tdata-href="/posts/{post.id}/share"\n\t\t\t\t\taria-label="{esc(p["share"])}"\n\t\t\t\t\trel="nofollow">\n\t\t\t\t\t<i class="fa--xf far fa-share-alt" aria-hidden="true"></i>\n\t\t\t\t</a>\n\t\t\t</li>\n'
            f'\t\t\t\n\t\t\t\t<li>\n\t\t\t\t\t<a href="/{t.path()}post-{post.id}" rel="nofollow">\n\t\t\t\t\t\t#{position}\n\t\t\t\t\t</a>\n\t\t\t\t</li>\n\t\t\t\n\t\t</ul>\n\t</header>\n\n'
            f'\t\t\t\t\t\t\t\n\n\t\t\t\t\t\t\t<div class="message-content js-messageContent">\n\t\t\t\t\t\t\t\n\n\t\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t\t\t{notices}\n\n'
            f'\t\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t\t\t\n\n\t<div class="message-userContent lbContainer js-lbContainer {ignored.strip()}"\n\t\tdata-lb-id="post-{post.id}"\n\t\tdata-lb-caption-desc="{esc(m.name)} &middot; {esc(full_string(t, post.when))}">\n\n\t\t\n\n'
            f'\t\t<article class="message-body js-selectToQuote">\n\t\t\t\n\t\t\t\t\n\t\t\t\n\n\t\t\t<div {IP_TEXT if micro else ""}>\n\t\t\t\t\n\t\t\t\t\t<div class="bbWrapper">{post.body}</div>\n\t\t\t\t\n\t\t\t</div>\n\n'
            f'\t\t\t<div class="js-selectToQuoteEnd">&nbsp;</div>\n\t\t\t\n\t\t\t\t\n\t\t\t\n\t\t</article>\n\n\t\t\n\n\t\t\n\t</div>\n\n\t\t\t\t\t\t\t\t\n\n'
            f'\t\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t\t\t{edit}\n\t\t\t\t\t\t\t\t\n\n\t\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t\t\t{sig}\n\t\t\t\t\t\t\t\t\n\n\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t</div>\n\n'
            f'\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t\t\n\t<footer class="message-footer">\n\t\t{microdata}\n\n\t\t\n\t\t\t<div class="message-actionBar actionBar">\n\t\t\t\t\n\t\t<div class="actionBar-set actionBar-set--external">\n\t\t\n'
            f'\t\t\t\n\t\t\t\t<a href="/{t.path()}reply?quote={post.id}"\n\t\t\t\t\tclass="actionBar-action actionBar-action--reply"\n\t\t\t\t\ttitle="Reply, quoting this message"\n\t\t\t\t\trel="nofollow"\n\t\t\t\t\tdata-xf-click="quote"\n\t\t\t\t\tdata-quote-href="/posts/{post.id}/quote">{esc(p["reply"])}</a>\n\t\t\t\n\t\t\n\t\t</div>\n\t\n\n\t\n\t\t<div class="actionBar-set actionBar-set--internal">\n\t\t\n'
            f'\t\t\t\n\t\t\t\t<a href="/posts/{post.id}/report"\n\t\t\t\t\tclass="actionBar-action actionBar-action--report"\n\t\t\t\t\tdata-xf-click="overlay" data-cache="false">{esc(p["report"])}</a>\n\t\t\t\n\t\t\n\t\t</div>\n\t\n\n\t\t\t</div>\n\t\t\n\n'
            f'\t\t{_xf2_reactions(t, post)}\n\n\t\t<div class="js-historyTarget message-historyTarget toggleTarget" data-href="trigger-href"></div>\n\t</footer>\n\n\t\t\t\t\t\t\t\n\t\t\t\t\t\t</div>\n\n\t\t\t\t\t\n\t\t\t\t\t</div>\n\t\t\t\t\n\t\t\t</div>\n\t\t\n\t</article>\n\n\t\n\t\n\n')


def _xf2_pagenav(t: Thread, page: int) -> str:
    last = len(t.pages)
    if last < 2:
        return ""
    p = PHRASES[t.lang]
    items = "".join(f'<li class="pageNav-page {"pageNav-page--current " if n == page else ""}"><a href="/{t.path(n)}">{n}</a></li>' for n in range(1, last + 1))
    prev = f'\n\t\t\t<a href="/{t.path(page - 1)}" class="pageNav-jump pageNav-jump--prev">{esc(p["prev"])}</a>\n\t\t' if page > 1 else ""
    nxt = f'\n\t\t\t<a href="/{t.path(page + 1)}" class="pageNav-jump pageNav-jump--next">{esc(p["next"])}</a>\n\t\t' if page < last else ""
    simple = f'<a href="/{t.path(page + 1)}" class="pageNavSimple-el pageNavSimple-el--next">{esc(p["next"])} <i aria-hidden="true"></i></a>' if page < last else ""
    return (f'<nav class="pageNavWrapper pageNavWrapper--mixed ">\n\n\n\n<div class="pageNav  ">\n\t{prev}\n\n\t<ul class="pageNav-main">\n\t\t{items}\n\t</ul>\n\n\t{nxt}\n</div>\n\n'
            f'<div class="pageNavSimple">\n\t\n\t<a class="pageNavSimple-el pageNavSimple-el--current"\n\t\tdata-xf-init="tooltip" title="Go to page"\n\t\tdata-xf-click="menu" role="button" tabindex="0" aria-expanded="false" aria-haspopup="true">\n\t\t{page} of {last}\n\t</a>\n\t{simple}\n</div>\n\n</nav>')


def _xf2_crumbs(t: Thread, bottom: bool = False) -> str:
    p = PHRASES[t.lang]
    crumbs = [(p["forums"], ""), *t.crumbs, (t.board, t.board_path)]
    items = "".join(
        f'\n\t\t\t\n\t\t\t<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">\n\t\t\t\t<a href="/{path}" itemprop="item">\n\t\t\t\t\t<span itemprop="name">{esc(name)}</span>\n\t\t\t\t</a>\n\t\t\t\t<meta itemprop="position" content="{i}" />\n\t\t\t</li>\n\t\t'
        for i, (name, path) in enumerate(crumbs, 1))
    return f'<ul class="p-breadcrumbs {"p-breadcrumbs--bottom" if bottom else ""}"\n\t\t\titemscope itemtype="https://schema.org/BreadcrumbList">\n\t\t\n\t\t\t\n{items}\n\t\t\n\t</ul>'


def xf2_page(t: Thread, page: int) -> str:
    p = PHRASES[t.lang]
    posts = t.pages[page - 1]
    start = sum(len(x) for x in t.pages[: page - 1])
    items = ""
    for i, post in enumerate(posts):
        items += xf2_post(t, post, start + i + 1, first=(page == 1 and i == 0))
        if i == 0:  # ad position post_below_container after the first post
            items += '\n\t<div class="samCodeUnit samAlignCenter" data-position="post_below_container_1"><div class="samItem"><a href="https://ads.example.net/click?c=91" rel="nofollow sponsored" target="_blank"><img src="https://ads.example.net/banner/728x90.png" alt="Advertisement" width="728" height="90" /></a></div></div>\n'
    title = esc(t.title) + (f" | {esc(p['page_title'].format(page=page))}" if page > 1 else "")
    s = t.starter
    starter = s.author
    replies = sum(len(x) for x in t.pages) - 1
    ld = {"@context": "https://schema.org", "@type": "DiscussionForumPosting", "@id": t.url(),
          "headline": t.title, "articleBody": "".join(s.body.split("<")[0:1])[:120] or t.title,
          "articleSection": t.board,
          "author": {"@type": "Person", "@id": f"{t.site}/{starter.path()}" if starter.user_id else None, "name": starter.name,
                     "url": f"{t.site}/{starter.path()}" if starter.user_id else None},
          "datePublished": s.when.astimezone(t.tz).isoformat(), "dateModified": (s.edited or s.when).astimezone(t.tz).isoformat(),
          "interactionStatistic": {"@type": "InteractionCounter", "interactionType": "https://schema.org/ReplyAction", "userInteractionCount": replies}}
    ld["author"] = {k: v for k, v in ld["author"].items() if v is not None}
    prev_next = "".join(f'\n\t<link rel="{rel}" href="/{t.path(n)}" />' for rel, n in (("prev", page - 1), ("next", page + 1)) if 1 <= n <= len(t.pages))
    starter_html = (f'<a href="/{starter.path()}" class="username  u-concealed" dir="auto" data-user-id="{starter.user_id}" data-xf-init="member-tooltip">{esc(starter.name)}</a>'
                    if starter.user_id else f'<span class="username  u-concealed" dir="auto" data-user-id="0">{esc(starter.name)}</span>')
    locked = (f'\n\t\t<dl class="blockStatus">\n\t\t\t<dt>{esc(p["status"])}</dt>\n\t\t\t\n\t\t\t\t\n\t\t\t\n\t\t\t\t\n\t\t\t\t\t<dd class="blockStatus-message blockStatus-message--locked">\n\t\t\t\t\t\t{esc(p["locked"])}\n\t\t\t\t\t</dd>\n\t\t\t\t\n\t\t\t\n\t\t</dl>\n\t'
              if t.locked else "")
    pagenav = _xf2_pagenav(t, page)
    lang = LOCALE_TAGS[t.lang]
    return f"""<!DOCTYPE html>
<html id="XF" lang="{lang}" dir="LTR"
	data-app="public"
	data-template="thread_view"
	data-container-key="node-5"
	data-content-key="thread-{t.thread_id}"
	data-logged-in="false"
	data-cookie-prefix="xf_"
	data-csrf="1700000000,0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	class="has-no-js template-thread_view"
	>
<head>
	<meta charset="utf-8" />
	<meta http-equiv="X-UA-Compatible" content="IE=Edge" />
	<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">

	
	
	

	<title>{title} | {esc(t.board_title)}</title>

	<link rel="manifest" href="/webmanifest.php">
	
		<meta name="theme-color" content="#185886" />
	

	<meta name="apple-mobile-web-app-title" content="{esc(t.board_title)}">
	
		<link rel="apple-touch-icon" href="/data/assets/logo/icon-192.png">
	

	
		
		<meta name="description" content="{esc(t.title)}" />
		<meta property="og:description" content="{esc(t.title)}" />
		<meta property="twitter:description" content="{esc(t.title)}" />
	
	
		<meta property="og:url" content="{t.url()}" />
	
		<link rel="canonical" href="{t.url(page)}" />
	{prev_next}
	
		
	

	
		
	
	
	<meta property="og:site_name" content="{esc(t.board_title)}" />


	
	
		
	
	
	<meta property="og:type" content="website" />


	
	
		
	
	
	
		<meta property="og:title" content="{esc(t.title)}" />
		<meta property="twitter:title" content="{esc(t.title)}" />
	


	
	
	
	

	
		<link rel="alternate" type="application/rss+xml" title="RSS feed for {esc(t.board)}" href="/{t.board_path}index.rss" />
	

	
	

	
	
	
	

	<link rel="preload" href="/styles/fonts/fa/fa-regular-400.woff2?_v=5.15.3" as="font" type="font/woff2" crossorigin="anonymous" />
	<link rel="preload" href="/styles/fonts/fa/fa-solid-900.woff2?_v=5.15.3" as="font" type="font/woff2" crossorigin="anonymous" />
	<link rel="preload" href="/styles/fonts/fa/fa-brands-400.woff2?_v=5.15.3" as="font" type="font/woff2" crossorigin="anonymous" />

	<link rel="stylesheet" href="/css.php?css=public%3Anormalize.css%2Cpublic%3Afa.css%2Cpublic%3Acore.less%2Cpublic%3Aapp.less&amp;s=1&amp;l=1&amp;d=1690000000&amp;k=4e9f3b2c1a0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f" />

	<link rel="stylesheet" href="/css.php?css=public%3Abb_code.less%2Cpublic%3Amessage.less%2Cpublic%3Ashare_controls.less%2Cpublic%3Aextra.less&amp;s=1&amp;l=1&amp;d=1690000000&amp;k=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c" />

	
		<script src="/js/xf/preamble.min.js?_v=8a2b1c3d"></script>
	


	
		<link rel="icon" type="image/png" href="/data/assets/logo/favicon-32x32.png" sizes="32x32" />
	
	
	<script async src="https://www.googletagmanager.com/gtag/js?id=G-EXAMPLE000"></script>
	<script>
		window.dataLayer = window.dataLayer || [];
		function gtag(){{dataLayer.push(arguments);}}
		gtag('js', new Date());
		gtag('config', 'G-EXAMPLE000', {{
			// 
			
			
		}});
	</script>


	
		
		<script type="application/ld+json">
		{json.dumps(ld, ensure_ascii=False, indent=4).replace(chr(10), chr(10) + chr(9) * 2)}
	</script>
	

</head>
<body data-template="thread_view">

<div class="p-pageWrapper" id="top">





<header class="p-header" id="header">
	<div class="p-header-inner">
		<div class="p-header-content">

			<div class="p-header-logo p-header-logo--image">
				<a href="/">
					<img src="/styles/default/xenforo/xenforo-logo.png" srcset="/styles/default/xenforo/xenforo-logo@2x.png 2x" alt="{esc(t.board_title)}"
						width="100" height="36" />
				</a>
			</div>

			

	
	<div class="samBannerUnit samAlignCenter" data-position="container_header"><a href="https://ads.example.net/click?c=12" rel="nofollow sponsored" target="_blank"><img src="https://ads.example.net/banner/468x60.png" alt="Advertisement" /></a></div>


		</div>
	</div>
</header>





	<div class="p-navSticky p-navSticky--primary" data-xf-init="sticky-header">
		
	<nav class="p-nav">
		<div class="p-nav-inner">
			<button type="button" class="button--plain p-nav-menuTrigger button" data-xf-click="off-canvas" data-menu=".js-headerOffCanvasMenu" tabindex="0" aria-label="Menu"><span class="button-text">
				<i aria-hidden="true"></i>
			</span></button>

			<div class="p-nav-smallLogo">
				<a href="/">
					<img src="/styles/default/xenforo/xenforo-logo.png" srcset="/styles/default/xenforo/xenforo-logo@2x.png 2x" alt="{esc(t.board_title)}"
						width="100" height="36" />
				</a>
			</div>

			<div class="p-nav-scroller hScroller" data-xf-init="h-scroller" data-auto-scroll=".p-navEl.is-selected">
				<div class="hScroller-scroll">
					<ul class="p-nav-list js-offCanvasNavSource">
					
						<li>
							
	<div class="p-navEl is-selected" data-has-children="true">
		

			
	
	<a href="/"
		class="p-navEl-link p-navEl-link--splitMenu "
		
		
		data-nav-id="forums">{esc(p["forums"])}</a>


			<a data-xf-key="1"
				data-xf-click="menu"
				data-menu-pos-ref="< .p-navEl"
				class="p-navEl-splitTrigger"
				role="button"
				tabindex="0"
				aria-label="Toggle expanded"
				aria-expanded="false"
				aria-haspopup="true"></a>

		
		
			<div class="menu menu--structural" data-menu="menu" aria-hidden="true">
				<div class="menu-content">
					
						
	
	
	<a href="/whats-new/posts/"
		class="menu-linkRow u-indentDepth0 js-offCanvasCopy "
		
		
		data-nav-id="newPosts">{esc(p["new_posts"])}</a>

	

					
						
	
	
	<a href="/search/?type=post"
		class="menu-linkRow u-indentDepth0 js-offCanvasCopy "
		
		
		data-nav-id="searchForums">{esc(p["search"])}</a>

	

					
				</div>
			</div>
		
	</div>

						</li>
					
						<li>
							
	<div class="p-navEl " data-has-children="true">
		

			
	
	<a href="/whats-new/"
		class="p-navEl-link p-navEl-link--splitMenu "
		
		
		data-nav-id="whatsNew">{esc(p["whats_new"])}</a>

		
	</div>

						</li>
					
						<li>
							
	<div class="p-navEl " data-has-children="true">
		

			
	
	<a href="/members/"
		class="p-navEl-link p-navEl-link--splitMenu "
		
		
		data-nav-id="members">{esc(p["members"])}</a>

		
	</div>

						</li>
					
					</ul>
				</div>
			</div>

			<div class="p-nav-opposite">
				<div class="p-navgroup p-account p-navgroup--guest">
					
						<a href="/login/" class="p-navgroup-link p-navgroup-link--textual p-navgroup-link--logIn"
							data-xf-click="overlay" data-follow-redirects="on">
							<span class="p-navgroup-linkText">{esc(p["log_in"])}</span>
						</a>
						
							<a href="/register/" class="p-navgroup-link p-navgroup-link--textual p-navgroup-link--register"
								data-xf-click="overlay" data-follow-redirects="on">
								<span class="p-navgroup-linkText">{esc(p["register"])}</span>
							</a>
						
					
				</div>

				<div class="p-navgroup p-discovery">
					<a href="/whats-new/"
						class="p-navgroup-link p-navgroup-link--iconic p-navgroup-link--whatsnew"
						aria-label="{esc(p["whats_new"])}"
						title="{esc(p["whats_new"])}">
						<i aria-hidden="true"></i>
						<span class="p-navgroup-linkText">{esc(p["whats_new"])}</span>
					</a>

					
						<a href="/search/"
							class="p-navgroup-link p-navgroup-link--iconic p-navgroup-link--search"
							data-xf-click="menu"
							data-xf-key="/"
							aria-label="{esc(p["search"])}"
							aria-expanded="false"
							aria-haspopup="true"
							title="{esc(p["search"])}">
							<i aria-hidden="true"></i>
							<span class="p-navgroup-linkText">{esc(p["search"])}</span>
						</a>
					
				</div>
			</div>
		</div>
	</nav>

	</div>
	
	
		<div class="p-sectionLinks">
			<div class="p-sectionLinks-inner hScroller" data-xf-init="h-scroller">
				<div class="hScroller-scroll">
					<ul class="p-sectionLinks-list">
					
						<li>
							
	<div class="p-navEl " >
		

			
	
	<a href="/whats-new/posts/"
		class="p-navEl-link "
		
		data-xf-key="alt+1"
		data-nav-id="newPosts">{esc(p["new_posts"])}</a>

		
	</div>

						</li>
					
					</ul>
				</div>
			</div>
		</div>
	



<div class="offCanvasMenu offCanvasMenu--nav js-headerOffCanvasMenu" data-menu="menu" aria-hidden="true" data-ocm-builder="navigation">
	<div class="offCanvasMenu-backdrop" data-menu-close="true"></div>
	<div class="offCanvasMenu-content">
		<div class="offCanvasMenu-header">
			Menu
			<a class="offCanvasMenu-closer" data-menu-close="true" role="button" tabindex="0" aria-label="Close"></a>
		</div>
		
			<div class="p-offCanvasRegisterLink">
				<div class="offCanvasMenu-linkHolder">
					<a href="/login/" class="offCanvasMenu-link" data-xf-click="overlay" data-menu-close="true">
						{esc(p["log_in"])}
					</a>
				</div>
				<hr class="offCanvasMenu-separator" />
				
					<div class="offCanvasMenu-linkHolder">
						<a href="/register/" class="offCanvasMenu-link" data-xf-click="overlay" data-menu-close="true">
							{esc(p["register"])}
						</a>
					</div>
					<hr class="offCanvasMenu-separator" />
				
			</div>
		
		<div class="js-offCanvasNavTarget"></div>
		<div class="offCanvasMenu-installBanner js-installPromptContainer" style="display: none;" data-xf-init="install-prompt">
			<div class="offCanvasMenu-installBanner-header">Install the app</div>
			<button type="button" class="js-installPromptButton button"><span class="button-text">Install</span></button>
		</div>
	</div>
</div>

<div class="p-body">
	<div class="p-body-inner">
		<!--XF:EXTRA_OUTPUT-->

		

		

		
		
	
		{_xf2_crumbs(t)}
	

		

		
	<noscript class="js-jsWarning"><div class="blockMessage blockMessage--important blockMessage--iconic u-noJsOnly">JavaScript is disabled. For a better experience, please enable JavaScript in your browser before proceeding.</div></noscript>

		
	<div class="js-browserWarning" style="display: none"><div class="blockMessage blockMessage--important blockMessage--iconic">You are using an out of date browser. It  may not display this or other websites correctly.<br />You should upgrade or use an <a href="https://www.google.com/chrome/" target="_blank" rel="noopener">alternative browser</a>.</div></div>


		
			<div class="p-body-header">
			
				
					<div class="p-title ">
					
						
							<h1 class="p-title-value">{esc(t.title)}</h1>
						
						
					
					</div>
				

				
					<div class="p-description">
	<ul class="listInline listInline--bullet">
		<li>
			<i class="fa--xf far fa-user" aria-hidden="true" title="{esc(p["thread_starter"])}"></i>
			<span class="u-srOnly">{esc(p["thread_starter"])}</span>

			{starter_html}
		</li>
		<li>
			<i class="fa--xf far fa-clock" aria-hidden="true" title="{esc(p["start_date"])}"></i>
			<span class="u-srOnly">{esc(p["start_date"])}</span>

			<a href="/{t.path()}" class="u-concealed">{xf2_date(t, s.when)}</a>
		</li>
		
	</ul>
</div>
				
			
			</div>
		

		<div class="p-body-main  ">
			
			<div class="p-body-contentCol"></div>
			

			

			<div class="p-body-content">
				
				<div class="p-body-pageContent">










	
	
	
		
	
	
	


	
	
	
		
	
	
	


	
	
		
	
	
	


	
	












	

	
		
	







	






<div class="block block--messages" data-xf-init="" data-type="post" data-href="/inline-mod/" data-search-target="*">

	<span class="u-anchorTarget" id="posts"></span>

	
		
	

	

	<div class="block-outer">{pagenav and chr(10) + chr(9) + chr(9) + '<div class="block-outer-main">' + pagenav + '</div>'}</div>

	{locked}

	<div class="block-outer js-threadStatusField"></div>

	<div class="block-container lbContainer"
		data-xf-init="lightbox select-to-quote"
		data-message-selector=".js-post"
		data-lb-id="thread-{t.thread_id}"
		data-lb-universal="0">

		<div class="block-body js-replyNewMessageContainer">
			
				
{items}
			
		</div>
	</div>

	
		<div class="block-outer block-outer--after">
			{pagenav}
			
				<div class="block-outer-opposite">
					
						<a href="/login/" class="button--link button--wrap button" data-xf-click="overlay"><span class="button-text">
							You must log in or register to reply here.
						</span></a>
					
				</div>
			
		</div>
	

	
	

</div>











<div class="blockMessage blockMessage--none">
	

	<div class="shareButtons shareButtons--iconic" data-xf-init="share-buttons" data-page-url="" data-page-title="" data-page-desc="" data-page-image="">
		
			<span class="shareButtons-label">{esc(p["share"])}:</span>
		

		<div class="shareButtons-buttons">
				<a class="shareButtons-button shareButtons-button--brand shareButtons-button--facebook" data-href="https://www.facebook.com/sharer.php?u={{url}}">
					<i aria-hidden="true"></i>
					<span>Facebook</span>
				</a>
		</div>
	</div>

</div>







</div>
				
			</div>

			
		</div>

		
		{_xf2_crumbs(t, bottom=True)}

		
	</div>
</div>

<footer class="p-footer" id="footer">
	<div class="p-footer-inner">

		<div class="p-footer-row">
			
				<div class="p-footer-row-main">
					<ul class="p-footer-linkList">
					
						
						
							<li><a href="/misc/language" data-xf-click="overlay"
								data-xf-init="tooltip" title="Language chooser" rel="nofollow">
								<i class="fa--xf far fa-globe" aria-hidden="true"></i> { {"en": "English (US)", "de": "Deutsch (Du)", "fr": "Français", "es": "Español"}[t.lang] }</a></li>
						
					
					</ul>
				</div>
			
			<div class="p-footer-row-opposite">
				<ul class="p-footer-linkList">
					
						
							<li><a href="/misc/contact" data-xf-click="overlay">{esc(p["contact"])}</a></li>
						
					

					
						<li><a href="/help/terms/">{esc(p["terms"])}</a></li>
					

					
						<li><a href="/help/privacy-policy/">{esc(p["privacy"])}</a></li>
					

					
						<li><a href="/help/">{esc(p["help"])}</a></li>
					

					
						<li><a href="/">{esc(p["home"])}</a></li>
					

					<li><a href="/forums/-/index.rss" target="_blank" class="p-footer-rssLink" title="RSS"><span aria-hidden="true"><i class="fa--xf far fa-rss" aria-hidden="true"></i><span class="u-srOnly">RSS</span></span></a></li>
				</ul>
			</div>
		</div>

		
			<div class="p-footer-copyright">
			
				<a href="https://xenforo.com" class="u-concealed" dir="ltr" target="_blank" rel="sponsored noopener">Community platform by XenForo<sup>&reg;</sup> <span class="copyright">&copy; 2010-2023 XenForo Ltd.</span></a>
				
			
			</div>
		

		
	</div>
</footer>

</div> <!-- closing p-pageWrapper -->

<div class="u-bottomFixer js-bottomFixTarget">
	
	
</div>

<div class="js-felShortcuts" hidden></div>

	<div class="u-scrollButtons js-scrollButtons" data-trigger-type="up">
		<a href="#top" class="button--scroll button" data-xf-click="scroll-to"><span class="button-text"><i class="fa--xf far fa-arrow-up" aria-hidden="true"></i><span class="u-srOnly">Top</span></span></a>
		
	</div>



	<script src="/js/vendor/jquery/jquery-3.5.1.min.js?_v=8a2b1c3d"></script>
	<script src="/js/vendor/vendor-compiled.js?_v=8a2b1c3d"></script>
	<script src="/js/xf/core-compiled.js?_v=8a2b1c3d"></script>
	
	<script>
		jQuery.extend(true, XF.config, {{
			// 
			userId: 0,
			enablePush: false,
			pushAppServerKey: '',
			url: {{
				fullBase: '{t.site}/',
				basePath: '/',
				css: '/css.php?css=__SENTINEL__&s=1&l=1&d=1690000000',
				keepAlive: '/login/keep-alive'
			}},
			cookie: {{
				path: '/',
				domain: '',
				prefix: 'xf_',
				secure: true,
				consentMode: 'disabled',
				consented: ["optional","_third_party"]
			}},
			cacheKey: '5a4b3c2d1e0f',
			csrf: '1700000000,0a1b2c3d4e5f60718293a4b5c6d7e8f9',
			js: {{}},
			css: {{"public:bb_code.less":true,"public:message.less":true,"public:share_controls.less":true,"public:extra.less":true}},
			time: {{
				now: {int((t.now or s.when).timestamp())},
				today: {int((t.now or s.when).timestamp()) // 86400 * 86400},
				todayDow: 3,
				tomorrow: {int((t.now or s.when).timestamp()) // 86400 * 86400 + 86400},
				yesterday: {int((t.now or s.when).timestamp()) // 86400 * 86400 - 86400},
				week: {int((t.now or s.when).timestamp()) // 86400 * 86400 - 6 * 86400}
			}},
			borderSizeFeature: '3px',
			fontAwesomeWeight: 'r',
			enableRtnProtect: true,
			
			enableFormSubmitSticky: true,
			uploadMaxFilesize: 2097152,
			allowedVideoExtensions: ["m4v","mov","mp4","mp4v","mpeg","mpg","ogv","webm"],
			allowedAudioExtensions: ["mp3","opus","ogg","wav"],
			shortcodeToEmoji: true,
			visitorCounts: {{
				conversations_unread: '0',
				alerts_unviewed: '0',
				total_unread: '0',
				title_count: true,
				icon_indicator: true
			}},
			jsState: {{}},
			publicMetadataLogoUrl: '',
			publicPushBadgeUrl: '{t.site}/styles/default/xenforo/bell.png'
		}});

		jQuery.extend(XF.phrases, {{
			// 
			date_x_at_time_y: "{{date}} at {{time}}",
			day_x_at_time_y:  "{{day}} at {{time}}",
			yesterday_at_x:   "Yesterday at {{time}}",
			x_minutes_ago:    "{{minutes}} minutes ago",
			one_minute_ago:   "1 minute ago",
			a_moment_ago:     "A moment ago",
			today_at_x:       "Today at {{time}}",
			in_a_moment:      "In a moment",
			in_a_minute:      "In a minute",
			in_x_minutes:     "In {{minutes}} minutes",
			later_today_at_x: "Later today at {{time}}",
			tomorrow_at_x:    "Tomorrow at {{time}}",

			day0: "Sunday",
			day1: "Monday",
			day2: "Tuesday",
			day3: "Wednesday",
			day4: "Thursday",
			day5: "Friday",
			day6: "Saturday",

			_daySuffix: "",
			_separator: ",",
			_decimal: "."
		}});
	</script>

	<form style="display:none" hidden="hidden">
		<input type="text" name="_xfClientLoadTime" value="" id="_xfClientLoadTime" title="_xfClientLoadTime" tabindex="-1" />
	</form>

	





</body>
</html>
"""


# --- archive forms ----------------------------------------------------------------------------------------------


def wayback_copy(text: str, timestamp: str, url: str, site: str) -> str:
    """The page as web.archive.org replays it: head include, toolbar, rewritten links, trailer comments."""
    import re

    def rewrite(m: re.Match) -> str:
        attr, quote, value = m.group(1), m.group(2), m.group(3)
        if value.startswith(("#", "javascript:", "data:", "mailto:", "{")):
            return m.group(0)
        mod = ""
        low = value.lower().split("?")[0]
        if attr == "src" and low.endswith((".js",)):
            mod = "js_"
        elif attr == "src":
            mod = "im_"
        elif low.endswith((".css",)) or "css.php" in low:
            mod = "cs_"
        if value.startswith("//"):
            value = "http:" + value
        if value.startswith("/"):
            return f"{attr}={quote}/web/{timestamp}{mod}/{site}{value}{quote}"
        if value.startswith("http"):
            return f"{attr}={quote}https://web.archive.org/web/{timestamp}{mod}/{value}{quote}"
        return m.group(0)  # relative to the page or <base>: the browser resolves it against the replay URL

    body = re.sub(r'\b(href|src|action)=(["\'])([^"\']*)\2', rewrite, text)
    body = re.sub(r'(<base href=")([^"]+)(")', lambda m: f'{m.group(1)}https://web.archive.org/web/{timestamp}/{m.group(2)}{m.group(3)}', body)
    ts = datetime.strptime(timestamp, "%Y%m%d%H%M%S")
    head_include = f"""<script type="text/javascript" src="https://web-static.archive.org/_static/js/bundle-playback.js?v=1WaXNDFE" charset="utf-8"></script>
<script type="text/javascript" src="https://web-static.archive.org/_static/js/wombat.js?v=txqj7nKC" charset="utf-8"></script>
<script>window.RufflePlayer=window.RufflePlayer||{{}};window.RufflePlayer.config={{"autoplay":"on","unmuteOverlay":"hidden"}};</script>
<script type="text/javascript" src="https://web-static.archive.org/_static/js/ruffle/ruffle.js"></script>
<script type="text/javascript">
    __wm.init("https://web.archive.org/web");
  __wm.wombat("{url}","{timestamp}","https://web.archive.org/","web","https://web-static.archive.org/_static/",
	      "{int(ts.replace(tzinfo=UTC).timestamp())}");
</script>
<link rel="stylesheet" type="text/css" href="https://web-static.archive.org/_static/css/banner-styles.css?v=S1zqJCYt" />
<link rel="stylesheet" type="text/css" href="https://web-static.archive.org/_static/css/iconochive.css?v=3PDvdIFv" />
<!-- End Wayback Rewrite JS Include -->
"""
    toolbar = f"""<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<script>__wm.rw(0);</script>
<div id="wm-ipp-base" lang="en" style="display:none;direction:ltr;">
<div id="wm-ipp" style="position:fixed;left:0;top:0;right:0;">
<div id="wm-ipp-inside">
  <div id="wm-toolbar" style="position:relative;display:flex;flex-flow:row nowrap;justify-content:space-between;">
    <div id="wm-logo" style="padding-top:12px;">
      <a href="/web/" title="Wayback Machine home page"><img src="https://web-static.archive.org/_static/images/toolbar/wayback-toolbar-logo-200.png" alt="Wayback Machine" style="width:100px" border="0" /></a>
    </div>
    <div class="c" style="display:flex;flex-flow:column nowrap;justify-content:space-between;flex:1;">
      <form class="u" style="display:flex;flex-direction:row;flex-wrap:nowrap;" target="_top" method="get" action="/web/submit" name="wmtb" id="wmtb"><input type="text" name="url" id="wmtbURL" value="{url}" onfocus="this.focus();this.select();" style="flex:1;"/><input type="hidden" name="type" value="replay" /><input type="hidden" name="date" value="{timestamp}" /><input type="submit" value="Go" />
      </form>
      <div style="display:flex;flex-flow:row nowrap;align-items:flex-end;">
        <div class="s" id="wm-nav-captures" style="flex:1;">
	  <a class="t" href="/web/{timestamp}*/{url}" title="See a list of every capture for this URL">3 captures</a>
	  <div class="r" title="Timespan for captures of this URL">{ts:%d %b %Y} - 02 Feb 2024</div>
	</div>
      </div>
    </div>
    <div class="n">
      <table>
        <tbody>
          <tr class="m">
            <td class="b" nowrap="nowrap">{ts:%b}</td>
            <td class="c" id="displayMonthEl" title="You are here: {ts:%H:%M:%S %b %d, %Y}">{ts:%b}</td>
            <td class="f" nowrap="nowrap"><a href="https://web.archive.org/web/20240202101010/{url}" title="02 Feb 2024"><strong>Feb</strong></a></td>
          </tr>
        </tbody>
      </table>
    </div>
    <div class="r" style="display:flex;flex-flow:column nowrap;align-items:flex-end;justify-content:space-between;">
      <div id="wm-btns" style="white-space:nowrap;">
        <a href="https://archive.org/account/login.php" title="Sign In" class="wm-btn">Sign In</a>
        <a href="#close" onclick="__wm.h(event);return false;" style="display:block;padding-right:18px;" id="wm-tb-close" title="Close the toolbar">close</a>
      </div>
    </div>
  </div>
</div>
</div>
</div>
<div id="wm-ipp-print">The Wayback Machine - https://web.archive.org/web/{timestamp}/{url}</div>
<script type="text/javascript">
__wm.bt(700,27,25,2,"web","{url}","{timestamp}",1996,"https://web-static.archive.org/_static/",["https://web-static.archive.org/_static/css/banner-styles.css?v=S1zqJCYt","https://web-static.archive.org/_static/css/iconochive.css?v=3PDvdIFv"], false);
  __wm.rw(1);
</script>
<!-- END WAYBACK TOOLBAR INSERT -->
"""
    trailer = f"""<!--
     FILE ARCHIVED ON {ts:%H:%M:%S %b %d, %Y} AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON 11:02:47 Mar 14, 2024.
     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.

     ALL OTHER CONTENT MAY ALSO BE PROTECTED BY COPYRIGHT (17 U.S.C.
     SECTION 108(a)(3)).
-->
<!--
playback timings (ms):
  captures_list: 0.71
  exclusion.robots: 0.031
  exclusion.robots.policy: 0.017
  esindex: 0.014
  cdx.remote: 9.214
  LoadShardBlock: 121.503 (3)
  PetaboxLoader3.datanode: 160.118 (4)
  load_resource: 88.902
-->"""
    body = body.replace("<head>", "<head>" + head_include, 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + toolbar, body, count=1)
    return body.rstrip("\n") + trailer


def at(tz: timezone, *args: int) -> datetime:
    """A board-local wall time as an aware UTC datetime."""
    return datetime(*args, tzinfo=tz).astimezone(UTC)


__all__ = ["Member", "Post", "Thread", "xf1_page", "xf2_page", "wayback_copy", "xf1_quote", "xf2_quote", "at",
           "timedelta"]
