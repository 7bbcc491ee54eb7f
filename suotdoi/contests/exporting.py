"""The published results of a round as a verifiable credential signed by the organising unit
(W3C VC 2.0, `eddsa-rdfc-2022`, the unit's did:key): anyone can check that the list they were
sent is the one the board published."""

from __future__ import annotations

from django.utils import timezone

from . import selectors

TOP = 1000  # the signed list names the first thousand places; every count covers everyone


def results_document(round, *, published_at) -> dict:
    from suotdoi.credentials.documents import VC_V2, xsd_datetime
    from suotdoi.organisations.models import Membership, Unit
    from suotdoi.people.models import Person

    ranked = selectors.ranking(round)
    top = ranked[:TOP]
    people = dict(
        Person.objects.filter(pk__in=[x.result.person_id for x in top]).values_list(
            "pk", "full_name"
        )
    )
    homes: dict[int, str] = {}
    for person_id, path in Membership.objects.filter(
        person_id__in=list(people), unit_path__startswith=round.contest.unit_path,
        end_date__isnull=True,
    ).values_list("person_id", "unit_path"):  # fmt: skip
        if len(path) > len(homes.get(person_id, "")):
            homes[person_id] = path
    unit_names = dict(Unit.objects.filter(path__in=set(homes.values())).values_list("path", "name"))
    return {
        "@context": [VC_V2, "https://www.w3.org/ns/credentials/undefined-terms/v2"],
        "type": ["VerifiableCredential", "ContestResults"],
        "name": f"{round.contest.title} — {round.number}",
        "validFrom": xsd_datetime(published_at),
        "credentialSubject": {
            "type": "ContestRound",
            "contest": round.contest.title,
            "round": round.number,
            "organiser": round.contest.unit.name,
            "rules": "score, |prediction - participants|, time, submission order",
            "participants": len(ranked),
            "ranking": [
                {
                    "place": x.rank,
                    "name": people.get(x.result.person_id, ""),
                    "unit": unit_names.get(homes.get(x.result.person_id, ""), ""),
                    "score": x.result.score,
                    "predictionOffBy": None if x.result.prediction is None else x.distance,
                    "timeMs": x.result.duration_ms,
                    "tiedButForOrder": x.tied,
                }
                for x in top
            ],
        },
    }


def sign_results(*, actor, round, published_at) -> dict:
    """The results credential, signed when the organising unit can sign."""
    from suotdoi.credentials.actions import credential_sign_document
    from suotdoi.credentials.errors import IssuingOff
    from suotdoi.credentials.models import Issuer

    doc = results_document(round, published_at=published_at or timezone.now())
    issuer = Issuer.objects.select_related("unit").filter(unit=round.contest.unit).first()
    if issuer is None:
        return doc
    try:
        return credential_sign_document(actor=actor, issuer=issuer, document=doc)
    except IssuingOff:
        return doc
