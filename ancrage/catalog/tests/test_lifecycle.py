"""Version life cycle: draft → in_review → published → retired, and every refused move."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from ancrage.catalog.actions import (
    create_draft,
    create_path,
    discard_draft,
    publish_version,
    retire_version,
    return_to_draft,
    save_theme,
    submit_for_review,
)
from ancrage.catalog.content import content_of
from ancrage.catalog.errors import FrozenVersionError, InvalidContent, TransitionError
from ancrage.catalog.models import Path as PathModel
from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.catalog.packs.importer import import_pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def draft(pack: Path) -> PathVersion:
    """A complete, valid draft (version 1 of ECOUTE)."""
    import_pack(pack)
    return PathVersion.objects.get()


def test_a_draft_goes_to_review_then_published_then_retired(
    draft: PathVersion, author, editor
) -> None:  # type: ignore[no-untyped-def]
    version = submit_for_review(version=draft, by=author)
    assert version.status == VersionStatus.IN_REVIEW
    assert version.submitted_at is not None
    version = publish_version(version=version, by=editor)
    assert (version.status, version.published_by) == (VersionStatus.PUBLISHED, editor)
    version = retire_version(version=version, by=editor)
    assert version.status == VersionStatus.RETIRED
    assert version.retired_at is not None


def test_a_reviewer_can_send_a_version_back_to_draft(draft: PathVersion, author, editor) -> None:  # type: ignore[no-untyped-def]
    version = submit_for_review(version=draft, by=author)
    version = return_to_draft(version=version, by=editor)
    assert version.status == VersionStatus.DRAFT
    assert version.submitted_at is None


@pytest.mark.parametrize(
    ("path_to_status", "action"),
    [
        ([], publish_version),
        ([], retire_version),
        ([], return_to_draft),
        (["submit"], submit_for_review),
        (["submit"], retire_version),
        (["submit", "publish"], submit_for_review),
        (["submit", "publish"], publish_version),
        (["submit", "publish"], return_to_draft),
        (["submit", "publish", "retire"], submit_for_review),
        (["submit", "publish", "retire"], publish_version),
        (["submit", "publish", "retire"], retire_version),
        (["submit", "publish", "retire"], return_to_draft),
    ],
)
def test_every_move_the_status_does_not_allow_is_refused(
    draft: PathVersion, path_to_status, action
) -> None:  # type: ignore[no-untyped-def]
    steps = {"submit": submit_for_review, "publish": publish_version, "retire": retire_version}
    version = draft
    for step in path_to_status:
        version = steps[step](version=version, by=None)
    status = version.status
    with pytest.raises(TransitionError):
        action(version=version, by=None)
    version.refresh_from_db()
    assert version.status == status


def test_the_model_refuses_a_status_jump_whatever_the_caller(draft: PathVersion) -> None:
    draft.status = VersionStatus.PUBLISHED
    with pytest.raises(TransitionError, match="cannot go from “Draft” to “Published”"):
        draft.save()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    with pytest.raises(FrozenVersionError):
        PathVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.PUBLISHED)


def test_a_new_version_row_must_start_as_a_draft(draft: PathVersion) -> None:
    with pytest.raises(TransitionError):
        PathVersion.objects.create(
            path=draft.path, number=9, title="x", status=VersionStatus.PUBLISHED
        )


def test_submitting_incomplete_content_lists_every_problem(author) -> None:  # type: ignore[no-untyped-def]
    theme = save_theme(code="relations", title="Relations", by=author)
    version = create_path(
        code="NEUF", theme=theme, language="fr", publisher="Éd.", title="Neuf", by=author
    )
    with pytest.raises(InvalidContent) as caught:
        submit_for_review(version=version, by=author)
    messages = [str(issue) for issue in caught.value.issues]
    assert "objectives: needs at least 2 items (it has 0)" in messages
    assert "key_behaviours: needs at least 2 items (it has 0)" in messages
    assert "modules: a path needs at least one module" in messages
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_publishing_a_new_version_retires_the_published_one(
    draft: PathVersion, author, editor
) -> None:  # type: ignore[no-untyped-def]
    v1 = publish_version(version=submit_for_review(version=draft, by=author), by=editor)
    v2 = create_draft(path=v1.path, by=author)
    v2 = publish_version(version=submit_for_review(version=v2, by=author), by=editor)
    v1.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    assert list(PathVersion.objects.published().values_list("number", flat=True)) == [2]


def test_a_new_draft_copies_the_latest_version_into_new_rows(draft: PathVersion, author) -> None:  # type: ignore[no-untyped-def]
    v1 = publish_version(version=submit_for_review(version=draft, by=author), by=None)
    v2 = create_draft(path=v1.path, by=author)
    assert (v2.number, v2.status, v2.created_by) == (2, VersionStatus.DRAFT, author)
    assert content_of(v2) == content_of(v1)
    assert v2.content_hash == v1.content_hash
    assert not set(v2.modules.values_list("pk", flat=True)) & set(
        v1.modules.values_list("pk", flat=True)
    )


def test_at_most_one_open_version_per_path(draft: PathVersion, author) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TransitionError, match="already has a draft or a version in review"):
        create_draft(path=draft.path, by=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        PathVersion.objects.create(path=draft.path, number=2, title="second draft")


def test_only_publisher_staff_author_and_only_editors_publish(
    draft: PathVersion, author, editor, learner
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        submit_for_review(version=draft, by=learner)
    version = submit_for_review(version=draft, by=author)
    with pytest.raises(PermissionDenied):
        publish_version(version=version, by=author)
    with pytest.raises(PermissionDenied):
        return_to_draft(version=version, by=author)
    version = publish_version(version=version, by=editor)
    with pytest.raises(PermissionDenied):
        retire_version(version=version, by=author)
    with pytest.raises(PermissionDenied):
        create_draft(path=version.path, by=learner)


def test_discarding_the_only_draft_removes_the_path(draft: PathVersion, author) -> None:  # type: ignore[no-untyped-def]
    discard_draft(version=draft, by=author)
    assert not PathModel.objects.exists()


def test_a_published_version_cannot_be_discarded_or_deleted(draft: PathVersion) -> None:
    version = publish_version(version=submit_for_review(version=draft, by=None), by=None)
    with pytest.raises(FrozenVersionError):
        discard_draft(version=version, by=None)
    with pytest.raises(FrozenVersionError):
        version.delete()
    with pytest.raises(FrozenVersionError):
        PathVersion.objects.filter(pk=version.pk).delete()
    assert PathVersion.objects.filter(pk=version.pk).exists()
