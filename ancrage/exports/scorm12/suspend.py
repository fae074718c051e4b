"""The size of the compact progress the host adapters keep in `cmi.suspend_data` (SCORM 1.2
allows 4,096 characters) — the same encoding as `encode()` in player/adapter-host.js:

    "1|" + seen cards (one hex digit per 4 cards) + "|" + best score per quiz (2 base-36
    digits each) + "|" + answered text prompts (one hex digit per 4 cards)

Learner texts are never stored there (they stay on the learner's device and, for a package,
nowhere else), so the size depends only on the number of cards and quizzes.
"""

from ancrage.exports.package.content import Unit

SCORM12_SUSPEND_LIMIT = 4096


def max_suspend_length(unit: Unit) -> int:
    cards = len(unit.data["cards"])
    quizzes = sum(1 for card in unit.data["cards"] if card["type"] == "quiz")
    bits = -(-cards // 4)
    return len("1|") + bits + 1 + 2 * quizzes + 1 + bits
