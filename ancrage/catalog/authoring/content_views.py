"""Studio pages for a draft's content: modules, cards (one generated form per type), key
behaviours with their five BARS anchors, and the phone-width preview of a card.

Pages of a version that is not a draft redirect to it with the reason (its content is
frozen); the preview works for every status."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ancrage.catalog.actions import (
    add_module,
    delete_card,
    delete_key_behaviour,
    delete_module,
    move_card,
    move_module,
    save_key_behaviour,
    update_module,
)
from ancrage.catalog.authoring.card_forms import CardForm
from ancrage.catalog.authoring.common import (
    actor,
    frozen_redirect,
    publisher_staff_required,
    version_url,
)
from ancrage.catalog.authoring.forms import KeyBehaviourForm, ModuleForm, add_issues, field_locator
from ancrage.catalog.authoring.queries import (
    access_card_for_author,
    access_key_behaviour_for_author,
    access_module_for_author,
)
from ancrage.catalog.browsing.cards import answer, card_views
from ancrage.catalog.cards import TYPE_SPECS
from ancrage.catalog.errors import CatalogError, InvalidContent, MediaError
from ancrage.catalog.models import Card, CardType, KeyBehaviour, Module, PathVersion
from ancrage.catalog.queries import access_version_for_author

# Modules ---------------------------------------------------------------------------------


@publisher_staff_required
def module_new(request: HttpRequest, version_id: str) -> HttpResponse:
    version = access_version_for_author(actor(request), version_id)
    if version.is_frozen:
        return frozen_redirect(request, version)
    return _module_form(request, version, None)


@publisher_staff_required
def module_edit(request: HttpRequest, module_id: str) -> HttpResponse:
    module = access_module_for_author(actor(request), module_id)
    version = module.version
    if version.is_frozen:
        return frozen_redirect(request, version)
    return _module_form(request, version, module)


def _module_form(request: HttpRequest, version: PathVersion, module: Module | None) -> HttpResponse:
    """Add a module (module=None) or edit one: same form, same error handling."""
    initial = {"title": module.title, "est_minutes": module.est_minutes} if module else None
    form = ModuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {
            "title": form.cleaned_data["title"],
            "est_minutes": form.cleaned_data["est_minutes"],
            "by": actor(request),
        }
        try:
            if module is None:
                saved = add_module(version=version, **fields)
            else:
                saved = update_module(module=module, **fields)
        except InvalidContent as invalid:
            add_issues(form, invalid.issues, field_locator())
        except (CatalogError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            done = _("Module saved.") if module else _("Module added. Now add its cards.")
            messages.success(request, done)
            return redirect(version_url(version, f"module-{saved.pk}"))
    context = {"version": version, "form": form, "module": module}
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/authoring/module_form.html", context, status=status)


def _position(request: HttpRequest, current: int) -> int | None:
    direction = request.POST.get("direction")
    if direction == "up":
        return max(0, current - 1)
    if direction == "down":
        return current + 1
    return None


@require_POST
@publisher_staff_required
def module_move(request: HttpRequest, module_id: str) -> HttpResponse:
    module = access_module_for_author(actor(request), module_id)
    position = _position(request, module.order)
    if position is None:
        messages.error(request, _("Choose up or down."))
    else:
        try:
            move_module(module=module, position=position, by=actor(request))
        except (CatalogError, PermissionDenied) as error:
            messages.error(request, str(error))
    return redirect(version_url(module.version, f"module-{module.pk}"))


@publisher_staff_required
def module_delete(request: HttpRequest, module_id: str) -> HttpResponse:
    module = access_module_for_author(actor(request), module_id)
    version = module.version
    if version.is_frozen:
        return frozen_redirect(request, version)
    if request.method == "POST":
        try:
            delete_module(module=module, by=actor(request))
        except (CatalogError, PermissionDenied) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Module “%(title)s” deleted.") % {"title": module.title})
        return redirect(version_url(version, "modules"))
    count = module.cards.count()
    context = {
        "version": version,
        "warning": ngettext(
            "You are about to delete the module “%(title)s” and its %(n)d card. "
            "This cannot be undone in this draft.",
            "You are about to delete the module “%(title)s” and its %(n)d cards. "
            "This cannot be undone in this draft.",
            count,
        )
        % {"title": module.title, "n": count},
        "cancel": version_url(version, f"module-{module.pk}"),
    }
    return render(request, "catalog/authoring/confirm_delete.html", context)


# Cards -----------------------------------------------------------------------------------


def _card_form(
    request: HttpRequest, *, card_type: str, version_id: uuid.UUID, card: Card | None
) -> CardForm:
    key_behaviours = list(KeyBehaviour.objects.filter(version_id=version_id).order_by("order"))
    data = request.POST if request.method == "POST" else None
    return CardForm(
        data,
        request.FILES if request.method == "POST" else None,
        card_type=card_type,
        key_behaviours=key_behaviours,
        payload=dict(card.payload) if card else None,
        est_seconds=card.est_seconds if card else None,
        add_row=request.POST.get("add_row", "") if request.method == "POST" else "",
    )


@publisher_staff_required
def card_new(request: HttpRequest, module_id: str) -> HttpResponse:
    module = access_module_for_author(actor(request), module_id)
    version = module.version
    if version.is_frozen:
        return frozen_redirect(request, version)
    card_type = request.POST.get("type") or request.GET.get("type", "")
    if card_type not in TYPE_SPECS:
        messages.error(request, _("Choose a card type."))
        return redirect(version_url(version, f"module-{module.pk}"))
    form = _card_form(request, card_type=card_type, version_id=version.pk, card=None)
    if request.method == "POST" and not request.POST.get("add_row") and form.is_valid():
        try:
            card = form.save(by=actor(request), module=module)
        except (InvalidContent, MediaError):
            pass
        except (CatalogError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Card added."))
            return redirect(version_url(version, f"card-{card.pk}"))
    context = {
        "version": version,
        "module": module,
        "form": form,
        "card": None,
        "card_type": card_type,
        "type_label": CardType(card_type).label,
    }
    status = 400 if form.has_problems else 200
    return render(request, "catalog/authoring/card_form.html", context, status=status)


@publisher_staff_required
def card_edit(request: HttpRequest, card_id: str) -> HttpResponse:
    card = access_card_for_author(actor(request), card_id)
    module = card.module
    version = module.version
    if version.is_frozen:
        return frozen_redirect(request, version)
    form = _card_form(request, card_type=card.type, version_id=version.pk, card=card)
    if request.method == "POST" and not request.POST.get("add_row") and form.is_valid():
        try:
            form.save(by=actor(request), card=card)
        except (InvalidContent, MediaError):
            pass
        except (CatalogError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Card saved."))
            return redirect(version_url(version, f"card-{card.pk}"))
    context = {
        "version": version,
        "module": module,
        "form": form,
        "card": card,
        "card_type": card.type,
        "type_label": card.get_type_display(),
        "other_modules": version.modules.exclude(pk=module.pk).order_by("order"),
    }
    status = 400 if form.has_problems else 200
    return render(request, "catalog/authoring/card_form.html", context, status=status)


@require_POST
@publisher_staff_required
def card_move(request: HttpRequest, card_id: str) -> HttpResponse:
    card = access_card_for_author(actor(request), card_id)
    version = card.module.version
    target = None
    if request.POST.get("module"):
        target = access_module_for_author(actor(request), request.POST["module"])
        position: int | None = 10_000  # at the end of the other module
    else:
        position = _position(request, card.order)
    if position is None:
        messages.error(request, _("Choose up or down."))
        return redirect(version_url(version, f"card-{card.pk}"))
    try:
        move_card(card=card, position=position, module=target, by=actor(request))
    except (CatalogError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        if target is not None:
            messages.success(request, _("Card moved to “%(title)s”.") % {"title": target.title})
    return redirect(version_url(version, f"card-{card.pk}"))


@publisher_staff_required
def card_delete(request: HttpRequest, card_id: str) -> HttpResponse:
    card = access_card_for_author(actor(request), card_id)
    module = card.module
    version = module.version
    if version.is_frozen:
        return frozen_redirect(request, version)
    if request.method == "POST":
        try:
            delete_card(card=card, by=actor(request))
        except (CatalogError, PermissionDenied) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Card deleted."))
        return redirect(version_url(version, f"module-{module.pk}"))
    context = {
        "version": version,
        "warning": _(
            "You are about to delete card %(n)d (%(type)s) of the module “%(title)s”. "
            "This cannot be undone in this draft."
        )
        % {"n": card.order + 1, "type": card.get_type_display(), "title": module.title},
        "cancel": version_url(version, f"card-{card.pk}"),
    }
    return render(request, "catalog/authoring/confirm_delete.html", context)


@publisher_staff_required
def card_preview(request: HttpRequest, card_id: str) -> HttpResponse:
    """The card as a learner sees it, at phone width (390 px) unless `?width=wide`."""
    card = access_card_for_author(actor(request), card_id)
    version = card.module.version
    cards = list(Card.objects.filter(module__version=version).order_by("module__order", "order"))
    index = next(i for i, c in enumerate(cards) if c.pk == card.pk)
    key_behaviours = KeyBehaviour.objects.filter(version=version)
    view = card_views([card], key_behaviours=key_behaviours)[0]
    problem = ""
    if "check" in request.GET or "answer" in request.GET:
        problem = answer(view, request.GET.getlist("answer"))
    wide = request.GET.get("width") == "wide"
    context = {
        "version": version,
        "module": card.module,
        "card": card,
        "view": view,
        "problem": problem,
        "wide": wide,
        "position": index + 1,
        "total": len(cards),
        "previous": cards[index - 1] if index > 0 else None,
        "next": cards[index + 1] if index + 1 < len(cards) else None,
        "width_query": "?width=wide" if wide else "",
    }
    return render(request, "catalog/authoring/preview.html", context)


# Key behaviours --------------------------------------------------------------------------


@publisher_staff_required
def key_behaviour_new(request: HttpRequest, version_id: str) -> HttpResponse:
    version = access_version_for_author(actor(request), version_id)
    return _key_behaviour_form(request, version=version, key_behaviour=None)


@publisher_staff_required
def key_behaviour_edit(request: HttpRequest, key_behaviour_id: str) -> HttpResponse:
    key_behaviour = access_key_behaviour_for_author(actor(request), key_behaviour_id)
    return _key_behaviour_form(request, version=key_behaviour.version, key_behaviour=key_behaviour)


def _key_behaviour_form(
    request: HttpRequest, *, version: PathVersion, key_behaviour: KeyBehaviour | None
) -> HttpResponse:
    if version.is_frozen:
        return frozen_redirect(request, version)
    initial = {}
    if key_behaviour is not None:
        initial = {"code": key_behaviour.code, "statement": key_behaviour.statement}
        initial.update(
            {f"anchor_{level}": text for level, text in enumerate(key_behaviour.anchors, start=1)}
        )
    form = KeyBehaviourForm(
        request.POST or None, initial=initial, code_locked=key_behaviour is not None
    )
    if request.method == "POST" and form.is_valid():
        code = key_behaviour.code if key_behaviour else form.cleaned_data["code"]
        if key_behaviour is None and version.key_behaviours.filter(code=code).exists():
            form.add_error("code", _("This path already has a key behaviour with this code."))
        else:
            try:
                save_key_behaviour(
                    version=version,
                    code=code,
                    statement=form.cleaned_data["statement"],
                    anchors=form.anchors(),
                    by=actor(request),
                )
            except InvalidContent as invalid:
                add_issues(form, invalid.issues, KeyBehaviourForm.locate)
            except (CatalogError, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Key behaviour saved."))
                return redirect(version_url(version, "key-behaviours"))
    context = {"version": version, "form": form, "key_behaviour": key_behaviour}
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/authoring/key_behaviour_form.html", context, status=status)


@require_POST
@publisher_staff_required
def key_behaviour_delete(request: HttpRequest, key_behaviour_id: str) -> HttpResponse:
    key_behaviour = access_key_behaviour_for_author(actor(request), key_behaviour_id)
    version = key_behaviour.version
    try:
        delete_key_behaviour(key_behaviour=key_behaviour, by=actor(request))
    except (CatalogError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Key behaviour “%(code)s” deleted.") % {"code": key_behaviour.code}
        )
    return redirect(version_url(version, "key-behaviours"))
