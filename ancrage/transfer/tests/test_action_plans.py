"""Action plans: the four parts, no past moment, check-ins at +1/+7/+30 on a controlled
clock, the calendar invitation, habit formation, renewal and drop."""

from datetime import date, time, timedelta

import pytest
from django.core import mail

from ancrage.common.testing.browser import fr
from ancrage.notify.models import CalendarEvent, OutboundMessage
from ancrage.transfer import actions
from ancrage.transfer.actions import NotAllowed, PlanInput, TransferError
from ancrage.transfer.intentions import PARTS, habit_reached
from ancrage.transfer.models import ActionCheckIn, CheckInState, Outcome, PlanState
from ancrage.transfer.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db(transaction=False)
TUESDAY = date(2026, 3, 3)


def plan_input(behaviour=None, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "path": behaviour.version.path if behaviour else None,
        "key_behaviour": behaviour,
        "practice": "Je reformule avant de répondre",
        "planned_on": TUESDAY,
        "planned_at": time(9, 30),
        "place": "salle Innovation",
        "task": "la réunion d'équipe",
        "anchor_habit": "après le point du lundi",
        "manager_visible": False,
    }
    values.update(overrides)
    return PlanInput(**values)


def commit(tenancy, behaviour=None, **overrides):  # type: ignore[no-untyped-def]
    return actions.save_action_plan(
        learner=tenancy.owner, data=plan_input(behaviour, **overrides), commit=True, now=MONDAY
    )


def test_committing_needs_day_time_place_and_task_and_names_what_is_missing(tenancy):
    with pytest.raises(TransferError) as refused:
        commit(tenancy, place="", planned_at=None)
    assert set(refused.value.errors) == {"place", "planned_at"}
    assert str(PARTS["place"]) in refused.value.errors["place"]


def test_a_draft_may_be_incomplete(tenancy):
    plan = actions.save_action_plan(
        learner=tenancy.owner, data=plan_input(place="", task=""), now=MONDAY
    )
    assert plan.state == PlanState.DRAFT
    assert not plan.check_ins.exists()


def test_a_plan_in_the_past_is_refused_with_a_reason(tenancy):
    with pytest.raises(TransferError) as refused:
        commit(tenancy, planned_on=date(2026, 3, 2), planned_at=time(8, 0))
    assert refused.value.errors["planned_on"] == fr(
        "This moment has already passed: choose a day and time from now on."
    )


def test_a_behaviour_from_another_path_is_refused(tenancy, behaviours):
    from ancrage.catalog.tests.published import published_path

    other = published_path("AUTRE", title="Autre")
    with pytest.raises(TransferError):
        commit(tenancy, behaviours[0], path=other.path)


def test_commit_schedules_check_ins_the_day_after_then_at_7_and_30_days(
    tenancy, behaviours, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = commit(tenancy, behaviours[0])
    assert plan.state == PlanState.COMMITTED
    assert [(c.offset_days, c.due_on) for c in plan.check_ins.order_by("due_on")] == [
        (1, date(2026, 3, 4)),
        (7, date(2026, 3, 10)),
        (30, date(2026, 4, 2)),
    ]
    event = CalendarEvent.objects.get(uid=plan.calendar_uid)
    assert event.location == "salle Innovation"
    assert event.sent_sequence == 0
    invitation = OutboundMessage.objects.get(
        idempotency_key__startswith=f"calendar:{plan.calendar_uid}"
    )
    assert "BEGIN:VEVENT" in invitation.payload["ics"]
    assert "METHOD:REQUEST" in invitation.payload["ics"]


def test_reminders_go_out_on_each_check_in_day_once(tenancy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan = commit(tenancy)

    def reminders_on(day):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return [c.offset_days for c in actions.send_check_in_reminders(now=day)]

    assert reminders_on(MONDAY) == []
    plan.refresh_from_db()
    assert plan.state == PlanState.COMMITTED
    assert reminders_on(MONDAY + timedelta(days=1, hours=1)) == []  # Tuesday: not yet
    plan.refresh_from_db()
    assert plan.state == PlanState.DUE  # the moment has passed
    assert reminders_on(MONDAY + timedelta(days=2)) == [1]
    assert reminders_on(MONDAY + timedelta(days=2, hours=5)) == []  # already asked
    assert reminders_on(MONDAY + timedelta(days=8)) == [7]
    assert reminders_on(MONDAY + timedelta(days=31)) == [30]
    keys = OutboundMessage.objects.filter(idempotency_key__startswith="transfer:check-in:")
    assert keys.count() == 3


def test_answering_a_check_in_moves_the_plan_and_needs_an_obstacle_when_not_done(tenancy):
    plan = commit(tenancy)
    first = plan.check_ins.get(offset_days=1)
    with pytest.raises(TransferError) as refused:
        actions.answer_check_in(
            learner=tenancy.owner,
            check_in=first,
            outcome=Outcome.PARTIAL,
            now=MONDAY + timedelta(days=2),
        )
    assert "obstacle" in refused.value.errors
    actions.answer_check_in(
        learner=tenancy.owner,
        check_in=first,
        outcome=Outcome.PARTIAL,
        obstacle="La réunion a été écourtée.",
        adjustment="Je commence par le premier sujet.",
        now=MONDAY + timedelta(days=2),
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.CHECKED_IN


def test_a_check_in_cannot_be_answered_before_its_day_or_by_someone_else(tenancy):
    plan = commit(tenancy)
    week = plan.check_ins.get(offset_days=7)
    with pytest.raises(TransferError):
        actions.answer_check_in(
            learner=tenancy.owner,
            check_in=week,
            outcome=Outcome.DONE,
            now=MONDAY + timedelta(days=2),
        )
    with pytest.raises(NotAllowed):
        actions.answer_check_in(
            learner=tenancy.teammate,
            check_in=week,
            outcome=Outcome.DONE,
            now=MONDAY + timedelta(days=9),
        )


def test_habit_rule_is_eight_done_over_six_distinct_weeks():
    start = date(2026, 3, 2)
    assert not habit_reached([start + timedelta(days=n) for n in range(8)])  # 8 in 2 weeks
    six_weeks = [start + timedelta(weeks=w) for w in range(6)] + [
        start + timedelta(days=2),
        start + timedelta(days=9),
    ]
    assert habit_reached(six_weeks)
    assert not habit_reached(six_weeks[:7])  # 7 done
    five_weeks = [start + timedelta(weeks=w % 5, days=w // 5) for w in range(10)]
    assert not habit_reached(five_weeks)  # 10 done, 5 weeks


def test_a_plan_done_eight_times_over_six_weeks_becomes_a_habit_and_stops_asking(
    tenancy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = commit(tenancy)
    actions.send_check_in_reminders(now=MONDAY + timedelta(days=2))
    actions.answer_check_in(
        learner=tenancy.owner,
        check_in=plan.check_ins.get(offset_days=1),
        outcome=Outcome.DONE,
        now=MONDAY + timedelta(days=2),
    )
    day = TUESDAY
    logged = 1
    with django_capture_on_commit_callbacks(execute=True):
        while logged < 8:
            day += timedelta(days=5)
            actions.log_practice(
                learner=tenancy.owner, plan=plan, on=day, now=MONDAY + timedelta(days=60)
            )
            logged += 1
    plan.refresh_from_db()
    assert plan.state == PlanState.HABIT_FORMED
    assert not plan.check_ins.filter(state=CheckInState.PENDING).exists()
    event = CalendarEvent.objects.get(uid=plan.calendar_uid)
    assert event.cancelled_at is not None


def test_renewal_updates_the_invitation_and_asks_the_day_after(
    tenancy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = commit(tenancy)
    now = MONDAY + timedelta(days=2)
    actions.send_check_in_reminders(now=now)
    actions.answer_check_in(
        learner=tenancy.owner,
        check_in=plan.check_ins.get(offset_days=1),
        outcome=Outcome.DONE,
        now=now,
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.renew_action_plan(
            learner=tenancy.owner,
            plan=plan,
            planned_on=date(2026, 3, 10),
            planned_at=time(9, 30),
            now=now,
        )
    plan.refresh_from_db()
    assert plan.state == PlanState.RENEWED
    assert ActionCheckIn.objects.filter(
        plan=plan, occurrence_on=date(2026, 3, 10), offset_days=1, due_on=date(2026, 3, 11)
    ).exists()
    event = CalendarEvent.objects.get(uid=plan.calendar_uid)
    assert event.sequence == 1
    assert event.sent_sequence == 1


def test_dropping_cancels_the_invitation_and_pending_check_ins(
    tenancy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = commit(tenancy)
    with django_capture_on_commit_callbacks(execute=True):
        actions.drop_action_plan(learner=tenancy.owner, plan=plan, now=MONDAY)
    plan.refresh_from_db()
    assert plan.state == PlanState.DROPPED
    assert set(plan.check_ins.values_list("state", flat=True)) == {CheckInState.CANCELLED}
    cancel = OutboundMessage.objects.filter(idempotency_key__contains=":CANCEL:").get()
    assert "STATUS:CANCELLED" in cancel.payload["ics"]


def test_reminder_email_reaches_the_learner(tenancy, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        commit(tenancy)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_check_in_reminders(now=MONDAY + timedelta(days=2))
    reminders = [m for m in mail.outbox if "/transfer/check-ins/" in m.body]
    assert [m.to for m in reminders] == [["owner@alpha.test"]]
