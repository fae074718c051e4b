"""Per-organisation FSRS parameter optimisation: fitted on the organisation's own reviews
(synthetic learners whose memory follows known parameters), put in use only when it predicts
held-out reviews better, used by that organisation's scheduler and no other's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from fsrs import Card as FsrsCard
from fsrs.scheduler import DEFAULT_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from ancrage.catalog.models import Card
from ancrage.habits.actions import answer_recall
from ancrage.habits.fitting import FitFailed, fit, held_out_since, log_loss
from ancrage.habits.models import (
    HabitSettings,
    OptimisationOutcome,
    RecallItem,
    RecallOptimisation,
)
from ancrage.habits.optimise import (
    MIN_REVIEWS,
    histories_of,
    judge,
    optimise_organisation,
    optimise_recall_parameters,
)
from ancrage.habits.recall import fsrs_card, make_scheduler, rating_for, scheduler_for
from ancrage.habits.tests.synthetic import synthetic_histories, with_changes, write_histories

# Learners who keep a first answer longer, and forget with a steeper curve, than FSRS's
# defaults assume.
TRUE = with_changes({0: 1.0, 2: 6.0, 8: 1.3, 20: 0.5})
DEFAULTS = list(DEFAULT_PARAMETERS)
NOW = datetime(2026, 9, 7, 3, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def _retrievability_gap(parameters, truth, histories):
    """Mean |R(parameters) − R(truth)| before each review after an item's first."""
    fitted, true = make_scheduler(parameters), make_scheduler(truth)
    gap, count = 0.0, 0
    for history in histories:
        a = b = FsrsCard(card_id=0, due=history[0][0])
        for at, passed in history:
            if a.last_review is not None:
                gap += abs(
                    fitted.get_card_retrievability(a, at) - true.get_card_retrievability(b, at)
                )
                count += 1
            a, _log = fitted.review_card(a, rating_for(passed), at)
            b, _log = true.review_card(b, rating_for(passed), at)
    return gap / count


def test_the_optimiser_moves_parameters_towards_the_generating_ones_and_lowers_held_out_loss():
    histories = synthetic_histories(TRUE, reviews=6000, seed=1)
    since = held_out_since(histories, 0.2)
    fitted = fit(histories, before=since)

    assert len(fitted) == 21
    make_scheduler(fitted)  # within fsrs 6.3.2's bounds
    for index in (0, 20):  # initial stability after a miss; the forgetting curve's decay
        assert abs(fitted[index] - TRUE[index]) < abs(DEFAULTS[index] - TRUE[index])
    fresh = synthetic_histories(TRUE, reviews=6000, seed=2)
    # Its predictions are at least a third closer to the generating parameters' predictions.
    assert _retrievability_gap(fitted, TRUE, fresh) < 0.67 * _retrievability_gap(
        DEFAULTS, TRUE, fresh
    )
    held_out = log_loss(fitted, histories, since=since)
    assert held_out.reviews > 800
    assert held_out.log_loss < log_loss(DEFAULTS, histories, since=since).log_loss
    assert log_loss(fitted, fresh).log_loss < log_loss(DEFAULTS, fresh).log_loss

    verdict = judge(histories, DEFAULTS)
    assert verdict.outcome == OptimisationOutcome.OPTIMISED
    assert verdict.parameters == fitted
    assert verdict.after is not None
    assert verdict.before is not None
    assert verdict.after < verdict.before


def test_fsrs_rs_and_fsrs_agree_on_memory_states():
    """The fit (fsrs-rs) and the scheduler (fsrs 6.3.2) must be the same FSRS-6 model: the
    same parameters give the same stability and difficulty after the same reviews."""
    histories = synthetic_histories(TRUE, reviews=1500, seed=3)
    fitted = fit(histories)
    for parameters in (DEFAULTS, TRUE, fitted):
        scheduler, model = make_scheduler(parameters), FSRS(parameters)
        for history in histories[:200]:
            card = FsrsCard(card_id=0, due=history[0][0])
            reviews, previous = [], None
            for at, passed in history:
                card, _log = scheduler.review_card(card, rating_for(passed), at)
                days = (at - previous).days if previous else 0
                reviews.append(FSRSReview(int(rating_for(passed)), days))
                previous = at
            state = model.memory_state(FSRSItem(reviews))
            assert state.stability == pytest.approx(card.stability, rel=1e-4)
            assert state.difficulty == pytest.approx(card.difficulty, rel=1e-4)


def test_reviews_that_are_all_first_answers_teach_nothing_and_keep_the_defaults():
    first_only = [[(NOW - timedelta(days=i % 90), True)] for i in range(MIN_REVIEWS + 10)]
    verdict = judge(first_only, DEFAULTS)
    assert verdict.outcome == OptimisationOutcome.TOO_FEW_REPEATS
    assert verdict.parameters == []


def test_same_day_reviews_do_not_break_the_fit():
    """fsrs-rs panics on a training row whose reviews all fall on one day; we leave them out."""
    at = NOW - timedelta(days=30)
    histories = [[(at, True), (at + timedelta(hours=2), False)]] * 50
    histories += synthetic_histories(TRUE, reviews=500, seed=4)
    assert len(fit(histories)) == 21


def test_a_rust_panic_in_the_fit_becomes_fit_failed(monkeypatch):
    same_day = FSRSItem([FSRSReview(3, 0), FSRSReview(3, 0)])
    monkeypatch.setattr("ancrage.habits.fitting._training_items", lambda h, b: [same_day])
    with pytest.raises(FitFailed, match="delta_t"):
        fit([])


# --- Through the database -------------------------------------------------------------------


@pytest.fixture
def cards(demo_path):
    return list(
        Card.objects.filter(module__version__path=demo_path).select_related("module__version__path")
    )


@pytest.fixture
def optimised_org_a(tenancy, licensed, cards):
    """Organisation A: 3,000 reviews of learners following TRUE, optimised once."""
    write_histories(tenancy.org_a, synthetic_histories(TRUE, reviews=3000, seed=1), cards)
    summary = optimise_recall_parameters(now=NOW)
    assert summary == "1 organisation(s): 1 optimised, 0 kept"
    return RecallOptimisation.objects.get(organisation=tenancy.org_a)


def test_below_the_threshold_the_defaults_are_kept(tenancy, licensed, cards):
    histories = synthetic_histories(TRUE, reviews=MIN_REVIEWS - 1, seed=5)
    write_histories(tenancy.org_a, histories, cards)

    assert optimise_recall_parameters(now=NOW) == f"no organisation has {MIN_REVIEWS} reviews yet"
    assert not RecallOptimisation.objects.exists()
    run = optimise_organisation(tenancy.org_a.pk, now=NOW)  # asked directly: it says why
    assert (run.outcome, run.reviews, run.parameters) == (
        OptimisationOutcome.TOO_FEW_REVIEWS,
        MIN_REVIEWS - 1,
        [],
    )
    assert HabitSettings.objects.get(organisation=tenancy.org_a).recall_parameters == []
    assert scheduler_for(tenancy.org_a.pk).parameters == tuple(DEFAULT_PARAMETERS)


def test_an_organisation_with_enough_reviews_gets_its_own_parameters_with_the_figures(
    tenancy, optimised_org_a
):
    run = optimised_org_a
    settings = HabitSettings.objects.get(organisation=tenancy.org_a)
    assert run.outcome == OptimisationOutcome.OPTIMISED
    assert settings.recall_parameters == run.parameters
    assert settings.parameters_optimised_at == run.ran_at == NOW
    assert run.reviews == 3000
    assert run.held_out_reviews >= 100
    assert run.log_loss_after < run.log_loss_before


def test_the_scheduler_of_that_organisations_learners_uses_its_parameters(tenancy, optimised_org_a):
    parameters = tuple(optimised_org_a.parameters)
    assert scheduler_for(tenancy.org_a.pk).parameters == parameters
    item = RecallItem.objects.filter(organisation=tenancy.org_a).order_by("last_review").first()
    before = fsrs_card(item)
    at = NOW + timedelta(days=3)
    answer_recall(item=item, passed=True, now=at)
    item.refresh_from_db()
    expected, _log = make_scheduler(parameters).review_card(before, rating_for(True), at)
    with_defaults, _log = make_scheduler().review_card(before, rating_for(True), at)
    assert item.stability == pytest.approx(expected.stability)
    assert item.stability != pytest.approx(with_defaults.stability)


def test_a_fit_that_predicts_no_better_is_not_put_in_use(tenancy, optimised_org_a, monkeypatch):
    in_use = list(optimised_org_a.parameters)
    worse = with_changes({20: 0.8})  # a much flatter forgetting curve than the learners'
    monkeypatch.setattr("ancrage.habits.optimise.fit", lambda histories, before: worse)
    run = optimise_organisation(tenancy.org_a.pk, now=NOW + timedelta(days=7))
    assert run.outcome == OptimisationOutcome.NOT_BETTER
    assert run.log_loss_after > run.log_loss_before
    assert run.parameters == worse
    assert HabitSettings.objects.get(organisation=tenancy.org_a).recall_parameters == in_use


def test_parameters_outside_fsrs_bounds_are_refused_and_the_reason_recorded(
    tenancy, optimised_org_a, monkeypatch
):
    in_use = list(optimised_org_a.parameters)
    monkeypatch.setattr("ancrage.habits.optimise.fit", lambda histories, before: [0.0] * 21)
    run = optimise_organisation(tenancy.org_a.pk, now=NOW + timedelta(days=7))
    assert run.outcome == OptimisationOutcome.FAILED
    assert "out of bounds" in run.detail
    assert HabitSettings.objects.get(organisation=tenancy.org_a).recall_parameters == in_use


def test_another_organisations_parameters_are_never_used_or_visible(
    tenancy, optimised_org_a, cards
):
    write_histories(tenancy.org_b, synthetic_histories(TRUE, reviews=40, seed=6), cards)
    assert sum(len(h) for h in histories_of(tenancy.org_b.pk)) == 40
    assert sum(len(h) for h in histories_of(tenancy.org_a.pk)) == 3000

    assert scheduler_for(tenancy.org_b.pk).parameters == tuple(DEFAULT_PARAMETERS)
    run_b = optimise_organisation(tenancy.org_b.pk, now=NOW)
    assert (run_b.outcome, run_b.reviews) == (OptimisationOutcome.TOO_FEW_REVIEWS, 40)
    assert scheduler_for(tenancy.org_b.pk).parameters == tuple(DEFAULT_PARAMETERS)

    with translation.override("fr"):
        after_a = floatformat(optimised_org_a.log_loss_after, 4)
    page_a = tenancy.client_for(tenancy.ld_lead).get("/habits/settings/")
    page_b = tenancy.client_for(tenancy.other_ld_lead).get("/habits/settings/")
    assert page_a.status_code == page_b.status_code == 200
    assert page_a.context["recall"].in_use == optimised_org_a
    assert after_a in page_a.content.decode()
    status_b = page_b.context["recall"]
    assert (status_b.reviews, status_b.in_use, status_b.last_run) == (40, None, run_b)
    assert after_a not in page_b.content.decode()


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_learners_and_managers_do_not_see_the_parameter_status(tenancy, optimised_org_a, who):
    assert tenancy.client_for(getattr(tenancy, who)).get("/habits/settings/").status_code == 403
