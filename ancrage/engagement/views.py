"""Pages of engagement: campaigns and themed events for L&D leads (write, preview, schedule,
pause, cancel), their reports (web and PDF) and event posters; the campaign page for
everyone in the organisation (where `{lien}` leads)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from ancrage.catalog.models import Path
from ancrage.engagement import actions
from ancrage.engagement.actions import CampaignError
from ancrage.engagement.forms import CampaignForm, EventForm, MessageForm, TakeawayForm
from ancrage.engagement.models import (
    Campaign,
    CampaignKind,
    CampaignMessage,
    CampaignStatus,
    MessageStatus,
    SharedTakeaway,
)
from ancrage.engagement.pdf import html_to_pdf
from ancrage.engagement.poster import poster_context
from ancrage.engagement.presentation import present
from ancrage.engagement.queries import (
    access_campaign,
    access_campaign_message,
    access_campaign_page,
    audience_of,
    campaign_path_ids,
    campaigns_of,
    latest_report,
    path_titles,
    sample_recipient,
)
from ancrage.engagement.rendering import EMAIL_TEMPLATE, email_context, first_name, teams_card
from ancrage.engagement.timeline import message_rows
from ancrage.notify.emails import render_email
from ancrage.notify.models import OutboundMessage
from ancrage.notify.queries import delivery_counts
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)
REPORT_CSS = ["engagement/report.css"]
POSTER_CSS = ["engagement/poster.css"]


def _actor(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


def _pause_first(campaign: Campaign) -> str:
    if campaign.is_event:
        return _("Pause the event before changing it.")
    return _("Pause the campaign before changing it.")


def _refusal(request: HttpRequest, error: CampaignError) -> None:
    for reason in error.reasons:
        messages.error(request, reason)


# --- Lists and creation ----------------------------------------------------------------------


def _list(request: HttpRequest, kind: str) -> HttpResponse:
    rows = campaigns_of(_actor(request), kind).order_by("-starts_on")
    return render(request, "engagement/campaigns.html", {"campaigns": rows, "kind": kind})


@membership_required(*LD_ROLES)
def campaigns(request: HttpRequest) -> HttpResponse:
    return _list(request, CampaignKind.CAMPAIGN)


@membership_required(*LD_ROLES)
def events(request: HttpRequest) -> HttpResponse:
    return _list(request, CampaignKind.EVENT)


def _create(request: HttpRequest, form_class: type[CampaignForm], kind: str) -> HttpResponse:
    actor = _actor(request)
    form = form_class(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(actor=actor, data=form.result)
        except CampaignError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(
                request,
                _("Draft saved with the suggested messages. Review each one, then schedule."),
            )
            return redirect("engagement_campaign", campaign.pk)
    return render(
        request,
        "engagement/campaign_form.html",
        {"form": form, "kind": kind, "campaign": None},
        status=400 if form.errors else 200,
    )


@membership_required(*LD_ROLES)
def campaign_new(request: HttpRequest) -> HttpResponse:
    return _create(request, CampaignForm, CampaignKind.CAMPAIGN)


@membership_required(*LD_ROLES)
def event_new(request: HttpRequest) -> HttpResponse:
    return _create(request, EventForm, CampaignKind.EVENT)


# --- One campaign ------------------------------------------------------------------------------


@membership_required(*LD_ROLES)
def campaign_detail(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = access_campaign(_actor(request), campaign_id)
    facts = actions.campaign_facts(campaign)
    return render(
        request,
        "engagement/campaign.html",
        {
            "campaign": campaign,
            "event": campaign.event if campaign.is_event else None,
            "audience_count": audience_of(campaign).count(),
            "paths": [t for t in facts.titles.values() if t],
            "message_rows": message_rows(facts, campaign.messages.order_by("send_at")),
            "problems": actions.schedule_problems(campaign, timezone.now())
            if campaign.is_editable
            else [],
            "deliveries": delivery_counts(campaign.organisation_id, campaign.source),
            "report": latest_report(campaign),
            "teams": campaign.teams.all(),
            "roles": [Role(role).label for role in campaign.roles if role in Role.values],
        },
    )


@membership_required(*LD_ROLES)
def campaign_edit(request: HttpRequest, campaign_id: str) -> HttpResponse:
    actor = _actor(request)
    campaign = access_campaign(actor, campaign_id)
    form_class: type[CampaignForm] = EventForm if campaign.is_event else CampaignForm
    if not campaign.is_editable:
        messages.error(request, _pause_first(campaign))
        return redirect("engagement_campaign", campaign.pk)
    form = form_class(request.POST or None, actor=actor, initial=form_class.initial_for(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_campaign(campaign=campaign, data=form.result)
        except CampaignError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("engagement_campaign", campaign.pk)
    return render(
        request,
        "engagement/campaign_form.html",
        {"form": form, "kind": campaign.kind, "campaign": campaign},
        status=400 if form.errors else 200,
    )


def _message_form(
    request: HttpRequest, campaign: Campaign, message: CampaignMessage | None
) -> HttpResponse:
    path_ids = campaign_path_ids(campaign)
    titles = path_titles(path_ids)
    paths = {str(p.pk): p for p in Path.objects.filter(pk__in=path_ids)}
    initial: dict[str, Any] = {"channels": campaign.channels}
    if message is not None:
        initial = {
            "kind": message.kind,
            "send_at": timezone.localtime(message.send_at),
            "audience": message.audience,
            "channels": message.channels,
            "path": str(message.path_id or ""),
            "subject": message.subject,
            "body": message.body,
        }
    form = MessageForm(
        request.POST or None,
        campaign=campaign,
        paths=paths,
        titles={str(pk): t for pk, t in titles.items()},
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.save_message(
                campaign=campaign,
                message=message,
                kind=data["kind"],
                send_at=data["send_at"],
                audience=data["audience"],
                channels=data["channels"],
                subject=data["subject"],
                body=data["body"],
                path=data["path"],
            )
        except CampaignError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("Message saved."))
            return redirect("engagement_message_preview", campaign.pk, saved.pk)
    return render(
        request,
        "engagement/message_form.html",
        {"form": form, "campaign": campaign, "message": message},
        status=400 if form.errors else 200,
    )


@membership_required(*LD_ROLES)
def message_new(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = access_campaign(_actor(request), campaign_id)
    if not campaign.is_editable:
        messages.error(request, _pause_first(campaign))
        return redirect("engagement_campaign", campaign.pk)
    return _message_form(request, campaign, None)


@membership_required(*LD_ROLES)
def message_edit(request: HttpRequest, campaign_id: str, message_id: str) -> HttpResponse:
    actor = _actor(request)
    campaign = access_campaign(actor, campaign_id)
    message = access_campaign_message(actor, campaign, message_id)
    if not campaign.is_editable or message.status != MessageStatus.PENDING:
        messages.error(
            request, _("Only a pending message of a draft or paused campaign can change.")
        )
        return redirect("engagement_campaign", campaign.pk)
    return _message_form(request, campaign, message)


@require_POST
@membership_required(*LD_ROLES)
def message_delete(request: HttpRequest, campaign_id: str, message_id: str) -> HttpResponse:
    actor = _actor(request)
    campaign = access_campaign(actor, campaign_id)
    message = access_campaign_message(actor, campaign, message_id)
    try:
        actions.delete_message(message=message)
    except CampaignError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Message removed."))
    return redirect("engagement_campaign", campaign.pk)


def _preview_email(
    campaign: Campaign, message: CampaignMessage, actor: Membership
) -> tuple[Membership, Any]:
    person = sample_recipient(campaign, actor)
    facts = actions.campaign_facts(campaign)
    outbound = OutboundMessage(
        organisation_id=campaign.organisation_id,
        idempotency_key=f"preview:{message.pk}",
        recipient=person.user.email,
        membership=person,
        topic="reminders" if message.kind in actions.REMINDER_KINDS else "campaigns",
        payload={
            "template": EMAIL_TEMPLATE,
            "context": email_context(facts, message, person),
            "language": campaign.language,
        },
    )
    return person, render_email(outbound)


@membership_required(*LD_ROLES)
def message_preview(request: HttpRequest, campaign_id: str, message_id: str) -> HttpResponse:
    actor = _actor(request)
    campaign = access_campaign(actor, campaign_id)
    message = access_campaign_message(actor, campaign, message_id)
    person, email = _preview_email(campaign, message, actor)
    card = teams_card(actions.campaign_facts(campaign), message)
    return render(
        request,
        "engagement/preview.html",
        {
            "campaign": campaign,
            "message": message,
            "person": person,
            "email": email,
            "text_body": email.body,
            "card": card,
            "card_texts": [b for b in card["body"] if b.get("type") == "TextBlock"],
            "card_facts": next(
                (b["facts"] for b in card["body"] if b.get("type") == "FactSet"), []
            ),
            "has_email": "email" in message.channels,
            "has_teams": "teams" in message.channels,
        },
    )


@xframe_options_sameorigin
@csp_override(
    {
        "default-src": [CSP.NONE],
        "style-src": [CSP.UNSAFE_INLINE],
        "img-src": [CSP.SELF, "data:"],
        "frame-ancestors": [CSP.SELF],
        "base-uri": [CSP.NONE],
        "form-action": [CSP.NONE],
    }
)
@membership_required(*LD_ROLES)
def message_preview_email(request: HttpRequest, campaign_id: str, message_id: str) -> HttpResponse:
    """The email's HTML exactly as sent, framed by the preview page (no script may run)."""
    actor = _actor(request)
    campaign = access_campaign(actor, campaign_id)
    message = access_campaign_message(actor, campaign, message_id)
    _person, email = _preview_email(campaign, message, actor)
    html = next(content for content, mimetype in email.alternatives if mimetype == "text/html")
    return HttpResponse(str(html), content_type="text/html; charset=utf-8")


def _transition(request: HttpRequest, campaign_id: str, verb: str) -> HttpResponse:
    campaign = access_campaign(_actor(request), campaign_id)
    try:
        if verb == "schedule":
            actions.schedule_campaign(campaign=campaign)
            messages.success(request, _("Scheduled. Messages leave at their time."))
        elif verb == "pause":
            actions.pause_campaign(campaign=campaign)
            messages.success(request, _("Paused. Nothing is sent until you schedule it again."))
        else:
            actions.cancel_campaign(campaign=campaign)
            messages.success(request, _("Cancelled. No other message will be sent."))
    except CampaignError as exc:
        _refusal(request, exc)
    return redirect("engagement_campaign", campaign.pk)


@require_POST
@membership_required(*LD_ROLES)
def campaign_schedule(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _transition(request, campaign_id, "schedule")


@require_POST
@membership_required(*LD_ROLES)
def campaign_pause(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _transition(request, campaign_id, "pause")


@require_POST
@membership_required(*LD_ROLES)
def campaign_cancel(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _transition(request, campaign_id, "cancel")


# --- Reports and posters -----------------------------------------------------------------------


def _report_for(campaign: Campaign) -> Any:
    report = latest_report(campaign)
    if report is None:
        report = actions.generate_report(campaign=campaign)
    return report


@membership_required(*LD_ROLES)
def report(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = access_campaign(_actor(request), campaign_id)
    view = present(_report_for(campaign))
    return render(request, "engagement/report.html", {"campaign": campaign, "view": view})


@require_POST
@membership_required(*LD_ROLES)
def report_refresh(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = access_campaign(_actor(request), campaign_id)
    actions.generate_report(campaign=campaign, final=campaign.status == CampaignStatus.CLOSED)
    messages.success(request, _("The report is up to date."))
    return redirect("engagement_report", campaign.pk)


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def render_report_pdf(campaign: Campaign, request: HttpRequest | None = None) -> bytes:
    view = present(_report_for(campaign))
    html = render_to_string(
        "engagement/report_pdf.html", {"campaign": campaign, "view": view}, request=request
    )
    return html_to_pdf(html, stylesheets=REPORT_CSS)


@membership_required(*LD_ROLES)
def report_pdf(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = access_campaign(_actor(request), campaign_id)
    return _pdf_response(render_report_pdf(campaign, request), f"bilan-{slugify(campaign.title)}")


@membership_required(*LD_ROLES)
def poster_pdf(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = access_campaign(_actor(request), campaign_id)
    html = render_to_string("engagement/poster.html", poster_context(campaign), request=request)
    return _pdf_response(
        html_to_pdf(html, stylesheets=POSTER_CSS), f"affiche-{slugify(campaign.title)}"
    )


# --- The campaign page for everyone ------------------------------------------------------------


def _path_link(code: str) -> str:
    try:
        return reverse("licensing_path", args=[code])
    except NoReverseMatch:
        return ""


@membership_required()
def join(request: HttpRequest, campaign_id: str) -> HttpResponse:
    actor = _actor(request)
    campaign = access_campaign_page(actor, campaign_id)
    form = TakeawayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.share_takeaway(
            campaign=campaign,
            author=actor,
            text=form.cleaned_data["text"],
            quote_allowed=form.cleaned_data["quote_allowed"],
        )
        messages.success(request, _("Thank you for sharing."))
        return redirect("engagement_join", campaign.pk)
    path_ids = campaign_path_ids(campaign)
    titles = path_titles(path_ids)
    codes = dict(Path.objects.filter(pk__in=path_ids).values_list("pk", "code"))
    return render(
        request,
        "engagement/join.html",
        {
            "campaign": campaign,
            "event": campaign.event if campaign.is_event else None,
            "paths": [
                {"title": titles[pk] or codes[pk], "link": _path_link(codes[pk])}
                for pk in path_ids
                if pk in codes
            ],
            "form": form,
            "takeaways": [
                {"text": t.text, "author": first_name(t.author), "created_at": t.created_at}
                for t in SharedTakeaway.objects.filter(campaign=campaign)
                .select_related("author__user")
                .order_by("-created_at")[:10]
            ],
        },
        status=400 if form.errors else 200,
    )
