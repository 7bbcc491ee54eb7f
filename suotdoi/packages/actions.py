"""Uploading a package, launching an item, taking what the content tracked, and finishing an
attempt into the learning record."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import secrets
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.catalog.models import Enrolment, Lesson, Module
from suotdoi.core.errors import ValidationFailed

from . import manifest, tracking
from .models import Attempt, ItemState, Launch, Package, Standard

LAUNCH_HOURS = 12
CHUNK = 1024 * 1024


def token_hash(token: str) -> str:
    return hashlib.sha256(f"suotdoi.packages:{token}".encode()).hexdigest()


# --- upload ---------------------------------------------------------------------------------


def package_upload(*, actor, course, upload, title: str = "", use_tracked_time=False) -> Package:
    """Check the zip, unpack it into storage, and add it to the course as a lesson (the
    course's first module when it has one, a new one otherwise). All or nothing: a refused or
    failed upload leaves no file and no row."""
    try:
        upload.seek(0)
        checked = manifest.read_package(upload, upload.size)
    except manifest.PackageInvalid as exc:
        raise ValidationFailed(
            _("The package was refused; nothing was stored."),
            errors=[{"message": p} for p in exc.problems],
        ) from None
    key = secrets.token_hex(16)
    saved = _unpack(upload, checked, key)
    try:
        with transaction.atomic():
            module = course.modules.order_by("order", "id").first() or Module.objects.create(
                course=course, order=1, title=checked.manifest.title or course.title
            )
            m = checked.manifest
            minutes = max(1, min(int(course.hours * 60), 32767))
            lesson = Lesson.objects.create(
                module=module,
                course=course,
                order=(module.lessons.count() + 1),
                title=(title or m.title or course.title)[:250],
                kind="package",
                minutes=minutes,
            )
            package = Package.objects.create(
                lesson=lesson,
                key=key,
                standard=m.standard,
                edition=m.edition[:40],
                title=(m.title or lesson.title)[:250],
                course_iri=m.course_id[:500],
                items=[i.as_dict() for i in m.items],
                files=len(saved),
                size=checked.total,
                use_tracked_time=use_tracked_time,
                uploaded_by=actor,
            )
            audit_log(
                actor=actor,
                verb="package.upload",
                target=package,
                unit=course.provider.unit,
                data={
                    "course": course.pk,
                    "standard": m.standard,
                    "items": len(m.items),
                    "files": len(saved),
                    "bytes": checked.total,
                },
            )
    except BaseException:
        _remove(saved)
        raise
    return package


def course_from_package(
    *, actor, provider, file, title="", category, hours, use_tracked_time=False
) -> Package:
    """A draft course made of one package (its title from the package unless given): the
    course and the package land together, or neither does."""
    from suotdoi.catalog.actions import course_create

    with transaction.atomic():
        course = course_create(
            actor=actor,
            provider=provider,
            title=(title or "…")[:250],
            summary=_("A course imported from an e-learning package."),
            category=category,
            format="online",
            hours=hours,
        )
        package = package_upload(
            actor=actor, course=course, upload=file, use_tracked_time=use_tracked_time
        )
        if not title:
            course.title = package.title[:250]
            course.save(update_fields=["title"])
            Lesson.objects.filter(pk=package.lesson_id).update(title=package.title[:250])
        return package


def _unpack(upload, checked, key: str) -> list[str]:
    """Write each member into storage, reading no more than it declared (a zip that lies about
    its sizes stops here); on any failure what was written is removed."""
    import zipfile

    saved: list[str] = []
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as zf:
            for info in checked.members:
                with zf.open(info) as fh:
                    data = fh.read(info.file_size + 1)
                if len(data) != info.file_size:
                    raise ValidationFailed(
                        _("The package was refused; nothing was stored."),
                        errors=[
                            {
                                "message": _("%(name)s is not what the zip says it is.")
                                % {"name": info.filename}
                            }
                        ],
                    )
                name = f"packages/{key}/{info.filename}"
                saved.append(default_storage.save(name, ContentFile(data)))
    except zipfile.BadZipFile:
        _remove(saved)
        raise ValidationFailed(_("The file is not a zip archive.")) from None
    except BaseException:
        _remove(saved)
        raise
    return saved


def _remove(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


def package_delete(*, actor, package: Package) -> None:
    """Take a package out of its course (only while nobody has started it)."""
    if package.attempts.exists():
        raise ValidationFailed(
            _("Learners have started this package; it can no longer be removed.")
        )
    lesson = package.lesson
    unit = lesson.course.provider.unit
    files = _listing(f"packages/{package.key}")
    audit_log(
        actor=actor,
        verb="package.delete",
        target=package,
        unit=unit,
        data={"course": lesson.course_id},
    )
    lesson.delete()
    transaction.on_commit(lambda: _remove(files))


def _listing(folder: str) -> list[str]:
    out = []
    try:
        dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return out
    out += [f"{folder}/{f}" for f in files]
    for d in dirs:
        out += _listing(f"{folder}/{d}")
    return out


def open_file(key: str, path: str):
    """(file, content type) of a file of the package stored under `key`, or None."""
    name = f"packages/{key}/{path}"
    if manifest._clean_name(path) is None or not default_storage.exists(name):
        return None
    ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
        ctype += "; charset=utf-8"
    return default_storage.open(name, "rb"), ctype


# --- attempts and launches ------------------------------------------------------------------


def current_attempt(*, person, package: Package, fresh: bool = False) -> Attempt:
    """The learner's latest attempt; a new one when there is none, or when asked for after the
    latest ended (completed, passed or failed)."""
    with transaction.atomic():
        last = (
            Attempt.objects.select_for_update()
            .filter(package=package, person=person)
            .order_by("-number")
            .first()
        )
        if last is not None and not (fresh and last.status != Attempt.IN_PROGRESS):
            return last
        number = last.number + 1 if last else 1
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    package=package, person=person, number=number, registration=uuid.uuid4()
                )
        except IntegrityError:  # a second tab made it meanwhile
            return Attempt.objects.get(package=package, person=person, number=number)
        audit_log(
            actor=person,
            verb="package.attempt",
            target=attempt,
            unit=None,
            data={"package": package.pk, "number": number},
        )
        return attempt


def launch_create(*, person, attempt: Attempt, ident: str, origin: str, parent_origin: str):
    """A launch of one item: (launch, token). The token is shown to the content host once."""
    package = attempt.package
    item = package.item(ident)
    if item is None:
        raise ValidationFailed(_("This part of the package does not exist."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    state, _created = ItemState.objects.get_or_create(attempt=attempt, ident=ident)
    if state.seconds != state.base_seconds:
        ItemState.objects.filter(pk=state.pk).update(base_seconds=state.seconds)
    launch = Launch.objects.create(
        attempt=attempt,
        ident=ident,
        token_hash=token_hash(token),
        session=uuid.uuid4(),
        origin=origin,
        parent_origin=parent_origin,
        expires_at=now + dt.timedelta(hours=LAUNCH_HOURS),
    )
    if package.standard == Standard.CMI5:
        from .cmi5 import prepare_launch

        prepare_launch(launch, item, person)
    return launch, token


class CommitLaunch:
    """What a commit needs to know of its launch (fixed when the launch was made), kept in
    the cache for a minute so a commit reads no launch row."""

    __slots__ = (
        "attempt_id", "expires_at", "ident", "items", "key", "origin", "parent_origin", "standard",
    )  # fmt: skip

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


def _launch_cache_key(digest: str) -> str:
    return f"packages:launch:{digest}"


def commit_launch(token: str) -> CommitLaunch | None:
    from django.core.cache import cache

    digest = token_hash(token)
    row = cache.get(_launch_cache_key(digest))
    if row is None:
        row = (
            Launch.objects.filter(token_hash=digest)
            .values(
                "attempt_id",
                "expires_at",
                "ident",
                "origin",
                "parent_origin",
                "attempt__package__standard",
                "attempt__package__items",
                "attempt__package__key",
            )  # fmt: skip
            .first()
        )
        if row is None:
            return None
        row["items"] = len(row.pop("attempt__package__items") or [])
        row["standard"] = row.pop("attempt__package__standard")
        row["key"] = row.pop("attempt__package__key")
        cache.set(_launch_cache_key(digest), row, 60)
    hit = CommitLaunch(**row)
    if hit.expires_at < timezone.now():
        return None
    return hit


def forget_launches(digests) -> None:
    from django.core.cache import cache

    cache.delete_many([_launch_cache_key(d) for d in digests])


def launch_for_token(token: str) -> Launch | None:
    launch = (
        Launch.objects.select_related(
            "attempt__package__lesson__course__provider__unit", "attempt__person"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if launch is None or launch.expires_at < timezone.now():
        return None
    return launch


# --- SCORM commits --------------------------------------------------------------------------


_STATE_FIELDS = [
    "cmi", "location", "commits", "completion", "success", "score", "seconds", "satisfied",
    "updated_at",
]  # fmt: skip


def scorm_commit(*, launch: Launch | CommitLaunch, body: bytes) -> ItemState:
    """Keep what the content committed for its item; finish the attempt when every item is
    done. Raises tracking.BadCommit for a body that is not a data model.

    Most commits change no status: they are written with one conditional UPDATE (the row's
    commit count must still be the one read, else it is read again), in no transaction of
    their own. A commit that starts the item, finishes it or fails it is written under the
    row's lock, and the attempt is rolled up in the same transaction."""
    parsed = tracking.parse(launch.standard, body)
    for _try in range(8):
        state = ItemState.objects.get(attempt_id=launch.attempt_id, ident=launch.ident)
        before = (state.commits, state.satisfied, state.success)
        _apply(state, parsed)
        if before[0] == 0 or (state.satisfied, state.success) != before[1:]:
            return _commit_locked(launch, parsed)
        state.updated_at = timezone.now()
        values = {f: getattr(state, f) for f in _STATE_FIELDS}
        if ItemState.objects.filter(pk=state.pk, commits=before[0]).update(**values):
            return state
    return _commit_locked(launch, parsed)  # a learner's two tabs kept racing: take the lock


def _apply(state: ItemState, parsed: dict) -> None:
    done_before = state.satisfied
    state.cmi = parsed["cmi"]
    state.location = parsed["location"]
    state.commits += 1
    if not done_before:  # a finished item keeps its result; later sessions are review
        state.completion = parsed["completion"] or state.completion
        state.success = parsed["success"] or state.success
        if parsed["score"] is not None:
            state.score = max(parsed["score"], state.score if state.score is not None else -1)
    state.seconds = max(state.seconds, state.base_seconds + parsed["session"])
    state.satisfied = done_before or tracking.satisfied(state)


def _commit_locked(launch, parsed: dict) -> ItemState:
    with transaction.atomic():
        state = ItemState.objects.select_for_update().get(
            attempt_id=launch.attempt_id, ident=launch.ident
        )
        first = state.commits == 0
        _apply(state, parsed)
        state.save(update_fields=_STATE_FIELDS)
        _roll_up(Attempt(pk=launch.attempt_id))
        if first and launch.standard != Standard.CMI5:
            others = ItemState.objects.filter(attempt_id=launch.attempt_id, commits__gt=0)
            if not others.exclude(pk=state.pk).exists():
                from .statements import attempted

                attempted(
                    Attempt.objects.select_related("package__lesson", "person").get(
                        pk=launch.attempt_id
                    )
                )
    return state


def _roll_up(attempt: Attempt) -> None:
    """The attempt's status, score and time from its items; at the moment every item is done,
    the lesson is done in the course (which writes the record entry when the course is
    complete) and the statements go to the LRS."""
    # Only the attempt's own row is locked: every learner's commit joins the same package,
    # lesson and course rows, which must not serialise them.
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("package__lesson__course", "person")
        .get(pk=attempt.pk)
    )
    package = attempt.package
    states = {s.ident: s for s in ItemState.objects.filter(attempt=attempt)}
    idents = [i["ident"] for i in package.items]
    scores = [s.score for s in states.values() if s.score is not None]
    attempt.score = max(scores) if scores else None
    attempt.seconds = sum(s.seconds for s in states.values())
    was_done = attempt.done
    all_done = all(states.get(i) is not None and states[i].satisfied for i in idents)
    if not was_done:
        if all_done:
            passed = any(s.success == "passed" for s in states.values())
            attempt.status = Attempt.PASSED if passed else Attempt.COMPLETED
            attempt.ended_at = timezone.now()
        elif any(s.success == "failed" and not s.satisfied for s in states.values()):
            attempt.status = Attempt.FAILED
    attempt.save(update_fields=["score", "seconds", "status", "ended_at", "updated_at"])
    if all_done and not was_done:
        _finish(attempt)


def _finish(attempt: Attempt) -> None:
    from suotdoi.catalog.actions import lesson_done

    from .statements import finished

    finished(attempt)
    lesson = attempt.package.lesson
    enrolment = Enrolment.objects.filter(
        course_id=lesson.course_id,
        person=attempt.person,
        status__in=[Enrolment.ACTIVE, Enrolment.COMPLETED],
    ).first()
    if enrolment is None:
        return  # the provider's staff trying their own package: no record
    hours = None
    if attempt.package.use_tracked_time:
        hours = max(Decimal(attempt.seconds) / Decimal(3600), Decimal("0.1")).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    lesson_done(person=attempt.person, enrolment=enrolment, lesson=lesson, hours=hours)
    enrolment.refresh_from_db()
    if enrolment.status == Enrolment.COMPLETED:
        from suotdoi.records.models import LearningEntry

        entry = LearningEntry.objects.filter(
            source_key=f"catalog:{lesson.course_id}:{attempt.person_id}"
        ).first()
        if entry is not None and not Attempt.objects.filter(entry=entry).exists():
            Attempt.objects.filter(pk=attempt.pk).update(entry=entry)
    audit_log(
        actor=attempt.person,
        verb="package.finish",
        target=attempt,
        unit=None,
        data={"package": attempt.package_id, "status": attempt.status, "score": attempt.score},
    )
