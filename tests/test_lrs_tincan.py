"""#17: TinCanPython (PyPI `tincan`, ADL's Python client) against the LRS on a live server:
save, batch, query and `more` paging over filters holding & and +, state, activity and agent
profiles, delete."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_tincanpython_round_trip(live_server, units):
    from tincan import (
        Activity,
        ActivityDefinition,
        ActivityProfileDocument,
        Agent,
        AgentProfileDocument,
        LanguageMap,
        RemoteLRS,
        StateDocument,
        Statement,
        Verb,
    )

    from suotdoi.records.lrs.actions import lrs_client_create

    client, secret = lrs_client_create(actor=None, unit=units["clc"], name="TinCanPython")
    lrs = RemoteLRS(
        endpoint=live_server.url + "/xapi/", username=client.key, password=secret, version="1.0.3"
    )
    about = lrs.about()
    assert about.success and "1.0.3" in about.content.version
    learner = Agent(name="Học viên", mbox="mailto:hoc.vien+lop1@example.vn")
    activity = Activity(
        id="https://h5p.example.vn/embed?id=7&lang=vi",
        definition=ActivityDefinition(name=LanguageMap({"vi-VN": "Bài tương tác"})),
    )
    verb = Verb(
        id="http://adlnet.gov/expapi/verbs/experienced", display=LanguageMap({"vi": "đã xem"})
    )
    one = lrs.save_statement(Statement(actor=learner, verb=verb, object=activity))
    assert one.success, one.data
    batch = lrs.save_statements(
        [Statement(actor=learner, verb=verb, object=activity) for _ in range(6)]
    )
    assert batch.success, batch.data
    assert lrs.retrieve_statement(one.content.id).success
    seen = 0
    page = lrs.query_statements({"agent": learner, "activity": activity, "limit": 3})
    assert page.success, page.data
    pages = 0
    while True:
        seen += len(page.content.statements)
        pages += 1
        if not page.content.more:
            break
        page = lrs.more_statements(page.content)
        assert page.success, page.data
    assert seen == 7 and pages == 3

    state = StateDocument(
        activity=activity,
        agent=learner,
        id="tien-do",
        content='{"trang": 3}',
        content_type="application/json",  # (its save_state drops a registration: not used)
    )
    assert lrs.save_state(state).success
    got = lrs.retrieve_state(activity, learner, "tien-do")
    assert got.success and got.content.content == b'{"trang": 3}'
    assert lrs.delete_state(got.content).success

    profile = ActivityProfileDocument(
        activity=activity, id="cau-hinh", content="{}", content_type="application/json"
    )
    saved = lrs.save_activity_profile(profile)
    assert saved.success, saved.data
    got = lrs.retrieve_activity_profile(activity, "cau-hinh")
    assert got.success and bytes(got.content.content) == b"{}"  # (it never reads ETag headers)
    assert lrs.delete_activity_profile(got.content).success

    agent_profile = AgentProfileDocument(
        agent=learner, id="so-thich", content='{"ngon_ngu": "vi"}', content_type="application/json"
    )
    saved = lrs.save_agent_profile(agent_profile)
    assert saved.success, saved.data
    got = lrs.retrieve_agent_profile(learner, "so-thich")
    assert got.success and b"vi" in got.content.content
    assert lrs.delete_agent_profile(got.content).success
    ids = lrs.retrieve_agent_profile_ids(learner)
    assert ids.success and "so-thich" not in ids.content
