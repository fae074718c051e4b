"""The web host of the player: thin views over player.queries and player.actions.

Pages (server-rendered, work without JavaScript for reading): the player (`/play/<code>/`,
the current card rendered on the server, then the JS island takes over), the short check,
the end of the path and the reaction survey. JSON endpoints for the island: a card, the
whole bundle, the progress, a batch of events, an answer. Every one of them asks the
entitlement (`queries.entitled`) for the enrolment's pinned version, and refuses with a
reason (4xx) and nothing recorded when the answer is no.
"""

import json
from typing import Any

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.catalog.models import MediaAsset
from ancrage.licensing.entitlements import EntitlementRefused
from ancrage.licensing.queries import assigned_path_ids
from ancrage.licensing.responses import explain, refusal_response
from ancrage.microsoft365.embedding.decorators import frameable
from ancrage.player import actions, queries, survey
from ancrage.player.bundle import Bundle, bundle_for
from ancrage.player.events import BadEvent, PlayerError, parse_event, parse_events
from ancrage.player.models import Enrolment, EnrolmentOrigin, EventKind, PlacementCheck
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership

JSON_LIMIT = 256 * 1024


def _actor(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


def _bundle(enrolment: Enrolment) -> Bundle:
    return bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)


def _refused_json(reason: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"reason": reason, "message": message}, status=status)


def _open(request: HttpRequest, code: str) -> Enrolment | HttpResponse:
    """The actor's enrolment, after the entitlement said yes; else the refusal page."""
    actor = _actor(request)
    enrolment = queries.access_enrolment(actor, code)
    answer = queries.entitled(actor, enrolment)
    if not answer.allowed:
        assert answer.reason is not None
        return refusal_response(
            request,
            answer.reason,
            licence=answer.licence,
            path_title=enrolment.path_version.title,
        )
    return enrolment


def _open_json(request: HttpRequest, code: str) -> Enrolment | JsonResponse:
    actor = _actor(request)
    enrolment = queries.access_enrolment(actor, code)
    answer = queries.entitled(actor, enrolment)
    if not answer.allowed:
        assert answer.reason is not None
        return _refused_json(
            answer.reason.value, str(explain(answer.reason, answer.licence).text), 403
        )
    return enrolment


def _body(request: HttpRequest) -> Any:
    if len(request.body) > JSON_LIMIT:
        raise BadEvent("too_large", _("The request is too large."))
    try:
        return json.loads(request.body or b"null")
    except ValueError as exc:
        raise BadEvent("invalid_json", _("The request body is not valid JSON.")) from exc


def _error(error: PlayerError) -> JsonResponse:
    return _refused_json(error.reason, error.message, error.status)


# --- Pages --------------------------------------------------------------------------------


@membership_required()
def resume(request: HttpRequest) -> HttpResponse:
    """`/play/`: the card where the learner left off in their latest path, else home."""
    enrolment = queries.latest_enrolment(_actor(request))
    if enrolment is None:
        return redirect("home")
    return redirect("player", code=enrolment.path.code)


def _strings() -> dict[str, str]:
    return {
        "cardOf": _("Card %(n)s of %(total)s"),
        "minutesLeft": _("About %(n)s min left"),
        "moduleOf": _("Module %(n)s of %(total)s"),
        "correct": _("Correct!"),
        "incorrect": _("Not quite. Read the feedback and try again."),
        "partial": _("Partly right. Try again."),
        "best": _("Best choice."),
        "acceptable": _("Acceptable, but there is a better choice."),
        "poor": _("Not the best choice. See what happens, then try another."),
        "saved": _("Saved."),
        "savedOffline": _(
            "You are offline: your answer is kept on this device and will be checked when "
            "the connection returns."
        ),
        "choose": _("Choose an answer first."),
        "write": _("Write a few words first."),
        "offline": _("Offline: your progress is kept on this device and will be sent later."),
        "synced": _("Progress saved."),
        "optional": _("Optional: you already master this module."),
        "error": _("Something went wrong. Please try again."),
        "finish": _("Finish"),
    }


@frameable
@never_cache
@membership_required()
def player(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    if not Enrolment.objects.filter(membership=actor, path__code=code).exists():
        return redirect("player_start", code=code)
    opened = _open(request, code)
    if isinstance(opened, HttpResponse):
        return opened
    enrolment = opened
    summary = queries.progress_of(enrolment)
    bundle = summary.bundle
    wanted = request.GET.get("card", "")
    key = wanted if wanted in bundle.cards else summary.resume_key or bundle.order[0]
    card = bundle.cards[key]
    module_index = next(i for i, m in enumerate(bundle.modules) if m.slug == card.module)
    urls = {
        "bundle": reverse("player_bundle", args=[code]),
        "card": reverse("player_card", args=[code, "KEY"]),
        "events": reverse("player_events", args=[code]),
        "answer": reverse("player_answer", args=[code]),
        "progress": reverse("player_progress", args=[code]),
        "end": reverse("player_end", args=[code]),
        "page": reverse("player", args=[code]),
        "sw": reverse("player_sw"),
    }
    props = {
        "code": code,
        "enrolment": str(enrolment.pk),
        "card": key,
        # The player derives the order from the modules: a card's key is "<slug>.<n>".
        "modules": [
            {
                "slug": m.slug,
                "title": m.title,
                "seconds": [bundle.cards[k].est_seconds for k in m.keys],
            }
            for m in bundle.modules
        ],
        "progress": {
            "seen": sorted(summary.seen),
            "optional": [m.slug for m in summary.modules if m.optional],
            "answers": summary.answers,
            "position_at": enrolment.position_at.isoformat() if enrolment.position_at else None,
        },
        "urls": urls,
        "strings": _strings(),
    }
    context = {
        "bundle": bundle,
        "summary": summary,
        "card": card,
        "card_html": card.client["html"],
        "card_number": card.index + 1,
        "module": bundle.modules[module_index],
        "module_number": module_index + 1,
        "optional": summary.modules[module_index].optional,
        "previous_key": bundle.previous_key(key),
        "next_key": bundle.next_key(key),
        "props": props,
    }
    return render(request, "player/player.html", context)


@membership_required()
def start(request: HttpRequest, code: str) -> HttpResponse:
    """GET: what the path is and a start button; POST: start it (the entitlement decides)."""
    actor = _actor(request)
    path = queries.path_by_code(code)
    if request.method == "POST":
        origin = (
            EnrolmentOrigin.ASSIGNMENT
            if path.pk in assigned_path_ids(actor)
            else EnrolmentOrigin.SELF
        )
        try:
            actions.start_path(membership=actor, path=path, origin=origin)
        except EntitlementRefused as refused:
            return refusal_response(
                request, refused.reason, licence=refused.licence, path_title=path.code
            )
        return redirect("player", code=code)
    version = queries.published_version(path)
    if version is None:
        raise Http404
    return render(request, "player/start.html", {"path": path, "version": version})


@frameable
@never_cache
@membership_required()
def end(request: HttpRequest, code: str) -> HttpResponse:
    opened = _open(request, code)
    if isinstance(opened, HttpResponse):
        return opened
    summary = queries.progress_of(opened)
    return render(
        request, "player/end.html", {"summary": summary, "bundle": summary.bundle, "code": code}
    )


@frameable
@never_cache
@require_http_methods(["GET", "POST"])
@membership_required()
def check(request: HttpRequest, code: str) -> HttpResponse:
    """The short placement check: one form, scored on the server, or skipped."""
    opened = _open(request, code)
    if isinstance(opened, HttpResponse):
        return opened
    enrolment = opened
    bundle = _bundle(enrolment)
    if not bundle.placement or PlacementCheck.objects.filter(enrolment=enrolment).exists():
        return redirect("player", code=code)
    errors: list[str] = []
    if request.method == "POST":
        if "skip" in request.POST:
            actions.complete_placement_check(enrolment=enrolment, bundle=bundle, answers=None)
            return redirect("player", code=code)
        answers: dict[str, list[int]] = {}
        for index, key in enumerate(bundle.placement):
            picked = request.POST.getlist(f"q{index}")
            try:
                answers[key] = sorted({int(v) for v in picked})
            except ValueError:
                answers[key] = []
            choices = len(bundle.cards[key].payload["choices"])
            if not answers[key] or any(not 0 <= i < choices for i in answers[key]):
                errors.append(f"q{index}")
        if not errors:
            try:
                result = actions.complete_placement_check(
                    enrolment=enrolment, bundle=bundle, answers=answers
                )
            except PlayerError as error:
                return HttpResponse(error.message, status=error.status)
            request.session["player_check_result"] = len(result.mastered)
            return redirect("player", code=code)
    questions = [
        {
            "name": f"q{index}",
            "card": bundle.cards[key],
            "multiple": bool(bundle.cards[key].payload.get("multiple")),
            "choices": [c["text"] for c in bundle.cards[key].payload["choices"]],
            "error": f"q{index}" in errors,
        }
        for index, key in enumerate(bundle.placement)
    ]
    return render(
        request,
        "player/check.html",
        {"bundle": bundle, "questions": questions, "errors": errors, "code": code},
        status=400 if errors else 200,
    )


@frameable
@never_cache
@require_http_methods(["GET", "POST"])
@membership_required()
def survey_page(request: HttpRequest, code: str) -> HttpResponse:
    opened = _open(request, code)
    if isinstance(opened, HttpResponse):
        return opened
    enrolment = opened
    bundle = _bundle(enrolment)
    summary = queries.progress_of(enrolment)
    chosen: dict[str, str] = {}
    errors: list[str] = []
    done = False
    status = 200
    if request.method == "POST" and summary.survey_pending:
        chosen = {item.name: request.POST.get(item.name, "") for item in survey.ITEMS}
        errors = [item.name for item in survey.ITEMS if chosen[item.name] not in item.codes]
        if not errors:
            try:
                actions.submit_survey(
                    enrolment=enrolment,
                    bundle=bundle,
                    relevance=chosen["relevance"],
                    intention=chosen["intention"],
                    support=chosen["support"],
                    comment=request.POST.get("comment", ""),
                )
                done = True
            except PlayerError as error:
                errors.append(error.reason)
        if errors:
            status = 400
    elif not summary.survey_pending:
        done = summary.completed
    return render(
        request,
        "player/survey.html",
        {
            "bundle": bundle,
            "summary": summary,
            "items": survey.ITEMS,
            "chosen": chosen,
            "errors": errors,
            "done": done,
            "code": code,
            "comment_max": survey.COMMENT_MAX,
        },
        status=status,
    )


# --- JSON endpoints -----------------------------------------------------------------------


@require_GET
def card(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """One card and the learner's progress on it: the hot path.

    One query for the enrolment, its version, the progress on the card and whether the
    learner's seat settles the entitlement (else the entitlement is asked), then the cached
    bundle. config/wsgi.py sends these requests to player.fastpath first, which answers the
    same 200 itself and hands everything else (every refusal) to this view.
    """
    if not request.user.is_authenticated:
        return _refused_json("not_signed_in", _("Sign in to continue."), 401)
    row = queries.card_row(user_id=request.user.pk, code=code, key=key)
    if row is None:
        return _refused_json("not_found", _("You have not started this path."), 404)
    if not row.seated:
        # nosemgrep: ancrage-unscoped-get-in-view — id from card_row, scoped to the user
        enrolment = Enrolment.objects.select_related("path_version", "membership").get(
            pk=row.enrolment_id
        )
        answer = queries.entitled(enrolment.membership, enrolment)
        if not answer.allowed:
            assert answer.reason is not None
            return _refused_json(
                answer.reason.value, str(explain(answer.reason, answer.licence).text), 403
            )
    body = queries.card_body(row, key)
    if body is None:
        return _refused_json(
            "card_not_in_version", _("This card is not part of your version of the path."), 404
        )
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@membership_required()
def bundle(request: HttpRequest, code: str) -> HttpResponse:
    """The whole content bundle of the enrolment's pinned version (for offline reading)."""
    opened = _open_json(request, code)
    if isinstance(opened, JsonResponse):
        return opened
    content = _bundle(opened)
    etag = f'"{content.content_hash}-{request.LANGUAGE_CODE}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    response = HttpResponse(content.json, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@never_cache
@require_GET
@membership_required()
def progress(request: HttpRequest, code: str) -> HttpResponse:
    """The learner's progress, and a fresh CSRF token for the island's next posts."""
    opened = _open_json(request, code)
    if isinstance(opened, JsonResponse):
        return opened
    return JsonResponse(
        {"progress": queries.progress_of(opened).as_json(), "csrf": get_token(request)}
    )


@require_POST
@membership_required()
def events(request: HttpRequest, code: str) -> HttpResponse:
    """A batch of tracking events from the web adapter (idempotent by event id)."""
    opened = _open_json(request, code)
    if isinstance(opened, JsonResponse):
        return opened
    try:
        parsed = parse_events(_body(request), _bundle(opened))
        result = actions.record_events(enrolment=opened, events=parsed, bundle=_bundle(opened))
    except PlayerError as error:
        return _error(error)
    return JsonResponse(
        {
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "outcomes": result.outcomes,
            "completed_modules": result.completed_modules,
            "path_completed": result.path_completed,
        }
    )


@require_POST
@membership_required()
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """One answer, checked on the server; returns the feedback (the same on a retry)."""
    opened = _open_json(request, code)
    if isinstance(opened, JsonResponse):
        return opened
    try:
        raw = _body(request)
        if not isinstance(raw, dict) or raw.get("kind") != EventKind.ANSWERED:
            raise BadEvent("not_an_answer", _("Send an “answered” event."))
        event = parse_event(raw, _bundle(opened))
        outcome = actions.answer_card(enrolment=opened, event=event, bundle=_bundle(opened))
    except PlayerError as error:
        return _error(error)
    return JsonResponse(outcome)


@require_GET
@membership_required()
def media(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """A media file of the enrolment's version (content-addressed: cached for a year)."""
    opened = _open(request, code)
    if isinstance(opened, HttpResponse):
        return opened
    sha, _dot, extension = name.partition(".")
    content = _bundle(opened)
    urls = {url for c in content.cards.values() for url in c.client["media"]}
    if request.path not in urls:
        raise Http404
    asset = MediaAsset.objects.filter(sha256=sha, extension=extension).first()
    stored = asset.file.name if asset is not None else None
    if asset is None or not stored or not default_storage.exists(stored):
        raise Http404
    response = FileResponse(default_storage.open(stored), content_type=asset.content_type)
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response  # type: ignore[return-value]  # FileResponse streams; decorators want HttpResponse


# --- Installable web app --------------------------------------------------------------------


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """`/play/sw.js`: the service worker, scoped to `/play/`, listing the shell to cache."""
    shell = [
        staticfiles_storage.url(name)
        for name in (
            "ancrage/css/app.css",
            "player/player.css",
            "player/player.js",
            "player/adapter-web.js",
            "player/adapters.js",
            "player/icon-192.png",
        )
    ]
    body = render_to_string("player/sw.js", {"shell": json.dumps(shell)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/play/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "Ancrage",
        "short_name": "Ancrage",
        "description": _("Short learning paths that stick, on your phone."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("player_resume"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f3f6f7",
        "theme_color": "#0b5563",
        "icons": [
            {
                "src": staticfiles_storage.url("player/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": staticfiles_storage.url("player/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": staticfiles_storage.url("player/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")
