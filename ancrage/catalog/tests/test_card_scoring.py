"""Quiz and scenario answers are scored from the stored payload, with per-answer feedback."""

import pytest

from ancrage.catalog.cards import score_quiz, score_scenario

SINGLE = {
    "question": "?",
    "multiple": False,
    "choices": [
        {"text": "a", "correct": False, "feedback": "Non, a."},
        {"text": "b", "correct": True, "feedback": "Oui, b."},
        {"text": "c", "correct": False, "feedback": "Non, c."},
    ],
}
MULTIPLE = {
    "question": "?",
    "multiple": True,
    "choices": [
        {"text": "a", "correct": True, "feedback": "fa"},
        {"text": "b", "correct": True, "feedback": "fb"},
        {"text": "c", "correct": False, "feedback": "fc"},
        {"text": "d", "correct": False, "feedback": "fd"},
    ],
}


pytestmark = pytest.mark.usefixtures("english")


def test_single_choice_right_and_wrong_answers() -> None:
    right = score_quiz(SINGLE, [1])
    assert (right.correct, right.score, right.feedback) == (True, 1.0, ["Oui, b."])
    wrong = score_quiz(SINGLE, [2])
    assert (wrong.correct, wrong.score, wrong.feedback) == (False, 0.0, ["Non, c."])


def test_single_choice_takes_exactly_one_answer() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        score_quiz(SINGLE, [0, 1])
    with pytest.raises(ValueError, match="indexes"):
        score_quiz(SINGLE, [3])
    with pytest.raises(ValueError, match="indexes"):
        score_quiz(SINGLE, [])


@pytest.mark.parametrize(
    ("selected", "correct", "score"),
    [
        ([0, 1], True, 1.0),
        ([0], False, 0.5),
        ([0, 2], False, 0.0),
        ([0, 1, 2], False, 0.5),
        ([2, 3], False, 0.0),
    ],
)
def test_multiple_choice_gives_partial_credit_and_wrong_picks_cancel_right_ones(
    selected: list[int], correct: bool, score: float
) -> None:
    outcome = score_quiz(MULTIPLE, selected)
    assert (outcome.correct, outcome.score) == (correct, score)
    assert outcome.feedback == [MULTIPLE["choices"][i]["feedback"] for i in sorted(selected)]  # type: ignore[index]


def test_scenario_choice_scores_and_consequence() -> None:
    payload = {
        "situation": "s",
        "question": "q",
        "choices": [
            {"text": "a", "score": 0, "consequence": "Thomas se tait."},
            {"text": "b", "score": 2, "consequence": "Thomas explique."},
        ],
    }
    best = score_scenario(payload, 1)
    assert (best.score, best.best, best.consequence) == (2, True, "Thomas explique.")
    assert score_scenario(payload, 0).best is False
    with pytest.raises(ValueError, match="index"):
        score_scenario(payload, 2)
