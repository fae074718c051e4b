"""Evaluation pages: the L&D lead's dashboards (web, PDF, CSV, XLSX), the indicator import,
and the learner's follow-up surveys."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.evaluation import actions, exports
from ancrage.evaluation.actions import ImportRefused, SurveyError
from ancrage.evaluation.charts import section_charts
from ancrage.evaluation.forms import IndicatorImportForm, survey_form
from ancrage.evaluation.instruments import TITLES
from ancrage.evaluation.queries import (
    LD_ROLES,
    access_survey_request,
    dashboard,
    report_index,
)
from ancrage.evaluation.scopes import KINDS
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership


def _actor(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


@membership_required(*LD_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    grouped = report_index(_actor(request))
    return render(
        request,
        "evaluation/index.html",
        {
            "groups": [(kind, KINDS[kind], rows) for kind, rows in grouped.items()],
            "import_form": IndicatorImportForm(),
        },
    )


@require_POST
@membership_required(*LD_ROLES)
def refresh(request: HttpRequest) -> HttpResponse:
    count = actions.refresh_rollups(organisation=_actor(request).organisation)
    messages.success(
        request,
        ngettext("%(count)s figure recalculated.", "%(count)s figures recalculated.", count)
        % {"count": count},
    )
    return redirect("evaluation_index")


@membership_required(*LD_ROLES)
def report(request: HttpRequest, kind: str, scope_id: str, fmt: str = "html") -> HttpResponse:
    board = dashboard(_actor(request), kind, scope_id)
    filename = f"ancrage-{kind}-{board.scope.id[:8]}"
    if fmt in ("csv", "xlsx", "pdf"):
        record(
            action=Action.EXPORT,
            actor=_actor(request),
            target_type=f"evaluation.{kind}",
            target_id=board.scope.id,
            details={"format": fmt},
        )
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(board), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(board),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if fmt == "pdf":
        response = HttpResponse(exports.to_pdf(board), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    if fmt != "html":
        raise Http404
    return render(
        request, "evaluation/dashboard.html", {"board": board, "charts": section_charts(board)}
    )


@membership_required(*LD_ROLES)
def import_indicators(request: HttpRequest) -> HttpResponse:
    form = IndicatorImportForm(request.POST or None, request.FILES or None)
    errors: list[actions.LineError] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = actions.import_indicators(
                organisation=_actor(request).organisation, data=form.cleaned_data["file"].read()
            )
        except ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(request, _("%(n)s values imported.") % {"n": count})
            return redirect("evaluation_index")
    status = 400 if errors else 200
    return render(
        request, "evaluation/import.html", {"form": form, "errors": errors}, status=status
    )


@membership_required()
def survey(request: HttpRequest, request_id: str) -> HttpResponse:
    me = _actor(request)
    survey_request = access_survey_request(me, request_id)
    form_class = survey_form(survey_request.instrument)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_survey(
                learner=me,
                request=survey_request,
                answers={k: str(v) for k, v in form.cleaned_data.items()},
            )
        except SurveyError as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("home")
    return render(
        request,
        "evaluation/survey.html",
        {"form": form, "survey": survey_request, "title": TITLES[survey_request.instrument]},
    )
