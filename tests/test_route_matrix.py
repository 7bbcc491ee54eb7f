"""Every route in the authorisation matrix (#15): the test enumerates the URL configuration and
every /api/v1/ operation. Each route is called by the people who must not reach it — an
officer of another province, a member of a sibling union group, a plain member for officer
pages — with GET and with POST, and must answer 404 (405 where the method does not exist)
with nothing changed; or it is listed as public with the reason. A new route that is in
neither list fails the suite."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.route_world import build_route_world

pytestmark = pytest.mark.django_db

# Routes anybody may call, with the reason. Ownership is checked inside the view where a route
# shows the caller's own things ("self").
PUBLIC = {
    "web:home": "the home page; its content is the caller's own",
    "web:set_language": "switches the caller's language",
    "web:set_display": "switches the caller's text size and contrast (a cookie)",
    ":healthz": "load-balancer health check, no data",
    ":favicon": "the site's icon",
    ":service_worker": "the service worker script, the same for everyone",
    ":manifest": "the web app manifest, the same for everyone",
    ":offline": "the page shown without a connection, no data",
    "people:delivery": "self: the caller's own ways of being notified",
    "people:push_subscribe": "self: subscribes the caller's own browser",
    ":privacy": "the record of processing, public by law",
    "people:profile": "self: the caller's own profile",
    "notifications:list": "self: the caller's own notifications",
    "notifications:read_all": "self: marks the caller's own notifications read",
    "audit:log": "self: lists only events under the caller's grants (scoped query)",
    "organisations:my_units": "self: the units the caller manages",
    "organisations:my_memberships": "self: the caller's own memberships and invitations",
    "records:mine": "self: the caller's own record",
    "records:declare": "self: declares learning in the caller's own record",
    "records:export_json": "self: the caller's own record",
    "records:transcript": "self: the caller's own record",
    "records:shares": "self: the caller's own share links",
    "records:shared": "an unguessable share token the learner gave out",
    "records:verify_queue": "self: lists only entries under the caller's grants",
    "records:verify_bulk": "acts only on entries under the caller's grants (checked per entry)",
    "records:visit": "a venue's signed QR token, for anyone signed in",
    "campaigns:list": "self: campaigns of the caller's units",
    "campaigns:mine": "self: the caller's own campaign tasks",
    "campaigns:checkin": "a signed, expiring QR token; membership is checked in the action",
    "catalog:home": "the public catalogue",
    "catalog:course": "published courses are public; members-only ones 404 outside the audience",
    "catalog:provider": "a provider's public page",
    "catalog:resource": "open resources are public",
    "catalog:resource_file": "open resources are public",
    "catalog:studied": "self: records the caller's own study of an open resource",
    "catalog:enrol": "self: the caller's own enrolment in a public course",
    "catalog:cancel": "self: the caller's own enrolment",
    "catalog:lesson": "self: lessons of a course the caller is enrolled in (404 otherwise)",
    "catalog:lesson_file": "self: lessons of a course the caller is enrolled in",
    "catalog:quiz": "self: the caller's own attempt",
    "catalog:offline": "self: the offline copy of a course the caller is enrolled in",
    "catalog:offline_bundle": "self: a course the caller is enrolled in (404 otherwise)",
    "catalog:offline_send": "self: the caller's own progress in a course they are enrolled in",
    "campaigns:scan_saved": "nobody's data: the page a phone shows for a code scanned offline",
    "campaigns:checkin_offline": "self: the caller's own scan; code and membership checked",
    "recognition:mine": "self: the caller's own assessments",
    "recognition:register": "self: registers the caller for a title",
    "recognition:sets": "criteria sets are public rules",
    "recognition:set": "criteria sets are public rules",
    "api-v1:criteria_set_list": "criteria sets are public rules",
    "api-v1:criteria_set_get": "criteria sets are public rules",
    "api-v1:course_get": "a published course is the public catalogue; a draft is 404 to others "
    "(test_api_catalog)",
    "api-v1:run_list": "the runs of a published course are public; of a draft, 404 to others",
    "recognition:set_export": "criteria sets are public rules",
    "credentials:mine": "self: the caller's own credentials",
    "credentials:verify": "the public check page",
    "credentials:shared": "an unguessable share token the learner switched on",
    "credentials:check": "the printed QR: valid only with the credential's own digest",
    "credentials:status_list": "status lists are public by the specification",
    "credentials:achievement": "achievement definitions are public by Open Badges",
    "lrs:statements": "xAPI: its own client authentication, scoped per client",
    "lrs:state": "xAPI: its own client authentication",
    "lrs:activity_profile": "xAPI: its own client authentication",
    "lrs:agent_profile": "xAPI: its own client authentication",
    "lrs:activities": "xAPI: its own client authentication",
    "lrs:agents": "xAPI: its own client authentication",
    "lrs:about": "xAPI: public by the specification",
    "lrs:links": "xAPI: its own client authentication; a code only the learner can confirm",
    "lrs_pages:my_tools": "self: the caller's own links and tools' reports",
    "people:my_data": "self: everything held about the caller",
    "people:new_password": "self: only right after the caller signed in with a one-time code",
    "people:erase": "self: the caller's own account, with their password",
    "people:consents": "self: the caller's own consents (withdrawals checked per item)",
    "organisations:my_corrections": "self: the caller's own requests, to their own units",
    "vcapi:issue": "VC-API: bearer token, off unless configured",
    "vcapi:verify": "VC-API verification is public",
    "vcapi:verify_presentation": "VC-API verification is public",
    "api-v1:openapi-json": "the API's description",
    "api-v1:openapi-view": "the API's documentation page",
    "api-v1:api-root": "the API root",
    "api_pages:oauth_token": "OAuth 2.0 token endpoint: client credentials checked inside",
    "api-v1:me": "self: the caller",
    "funding:mine": "self: the caller's own learning accounts",
    "credits:account": "self: the caller's own credit account",
    "contests:list": "self: the contests open to the caller",
    "credits:transcript": "self: the caller's own transcript of credit",
    "api-v1:my_credits": "self: the caller's own credit account",
    "api-v1:programme_list": "published programmes are public offers",
    "api-v1:programme_progress": "self: the caller's own progress in a published programme",
    "credits:programmes": "published programmes are public offers",
    "credits:programme": "a published programme is public; following it is the caller's own",
    "credits:rpl_apply": "self: the caller's own request, with evidence from their own record "
    "(checked in the action)",
    "credits:accreditation_document": "a provider's accreditation is a public licence",
    "api-v1:unit_roots": "self: the units the caller manages",
    "api-v1:entry_list": "self: the caller's own entries",
    "api-v1:entry_declare": "self: declares in the caller's own record",
    "api-v1:credential_list": "self: the caller's own credentials",
    "reports:forms": "report forms are published rules, like criteria sets",
    "stories:public_list": "published stories are public, with their subjects' consent",
    "stories:public_story": "a published story is public; others 404 or 410 (test_stories)",
    "stories:public_photo": "a consented photo of a published story; others 404 (test_stories)",
    "stories:unit_public": "a unit's public page: published stories, title counts, campaigns",
    "stories:mine": "self: the stories about the caller",
    "reports:form": "report forms are published rules, like criteria sets",
    "pkg:player": "content host: an unguessable launch token for one attempt, on its origin only "
    "(test_packages)",
    "pkg:file": "content host: a package file under a launch token (test_packages)",
    "pkg:commit": "content host: tracking data for the token's own attempt (test_packages)",
    "pkg:fetch": "content host: cmi5's one-time auth token of the launch (test_packages)",
    "contests:answer": "a sitting's answers under its signed token, for its page's script; a "
    "token another sitting's or a forged one is 404 (test_contests)",
    "contests:start": "a round started under the contest page's signed token (one person, one "
    "contest, twelve hours); forged, expired, outsiders 404 (test_contests)",
    "recognition:sets_import_public": "",
}
PUBLIC.pop("recognition:sets_import_public")

# Routes for one person's own things: anyone else gets 404.
OWN = {
    "organisations:invitation_answer": {"invitation_id": "invitation", "answer": "accept"},
    "records:entry": {"entry_id": "own_entry"},
    "lrs_pages:reported_decide": {"entry_id": "reported_entry"},
    "lrs_pages:link_revoke": {"link_id": "link"},
    "records:assist_withdraw": {"consent_id": "consent"},
    "records:evidence": {"entry_id": "own_entry"},
    "records:correct": {"entry_id": "own_entry"},
    "credentials:detail": {"uid": "credential_uid"},
    "credentials:json": {"uid": "credential_uid"},
    "credentials:pdf": {"uid": "credential_uid"},
    "credentials:share": {"uid": "credential_uid"},
    "recognition:assessment": {"assessment_id": "assessment"},
    "api-v1:assessment_get": {"assessment_id": "assessment"},
    "recognition:evidence": {"evidence_id": "evidence"},
    "api-v1:entry_get": {"entry_id": "own_entry"},
    "funding:spend": {"fund_id": "fund", "course_id": "paid_course"},
    "funding:spend_cancel": {"spend_id": "spend"},
    "credits:rpl": {"request_id": "rpl_request"},
    "stories:consent": {"story_id": "story"},
    "stories:photo": {"story_id": "story", "photo_id": "story_photo", "size": "thumb"},
    "contests:sitting": {"sitting_id": "sitting"},
    "packages:play": {"lesson_id": "package_lesson"},
    "contests:result": {"sitting_id": "sitting"},
    "api-v1:credential_document": {"uid": "credential_uid"},
}

# Routes for members of the holding unit (the campaign task of Mai's grassroots union; the
# federation's emulation movement): an officer and a member of another province, and a member
# of a sibling grassroots union where the unit is a union, get 404.
OUTSIDE_UNION = ["foreign_officer", "foreign_member", "sibling_union_member"]
OUTSIDE_PROVINCE = ["foreign_officer", "foreign_member"]
MEMBER = {
    "campaigns:task": ({"task_id": "task"}, OUTSIDE_UNION),
    "campaigns:quiz": ({"task_id": "task"}, OUTSIDE_UNION),
    "campaigns:reflection": ({"task_id": "task"}, OUTSIDE_UNION),
    "campaigns:session": ({"session_id": "session"}, OUTSIDE_UNION),
    "campaigns:document": ({"document_id": "document"}, OUTSIDE_UNION),
    "recognition:movement": ({"movement_id": "movement"}, OUTSIDE_PROVINCE),
    "contests:contest": ({"contest_id": "contest"}, OUTSIDE_UNION),
    "contests:units": ({"contest_id": "contest"}, OUTSIDE_UNION),
    "contests:ranking": ({"round_id": "contest_round"}, OUTSIDE_UNION),
    "contests:results_json": ({"round_id": "contest_round"}, OUTSIDE_UNION),
    "api-v1:movement_standings": ({"movement_id": "movement"}, OUTSIDE_PROVINCE),
}

API_BODIES: dict = {}
# Writes whose path is shared with a public read (a published course, its runs): their GET is
# that public read, tested under its own name.
GET_IS_PUBLIC = {"api-v1:course_update", "api-v1:run_add"}
# API operations a weak or foreign token may still call: its own maker's things.
TOKEN_MAY: set[str] = {
    # Standings are shown to every member below the organiser; a token acts as its maker, who
    # is one (a foreign officer is not: the session clients above check that).
    "api-v1:movement_standings",
}
U = {"unit_id": "unit"}
# Officer pages: all three outsiders get 404.
STAFF = {
    "organisations:invitation_withdraw": {"invitation_id": "invitation"},
    "organisations:unit_detail": U,
    "organisations:unit_corrections": U,
    "organisations:correction_decide": {"unit_id": "unit", "request_id": "correction"},
    "organisations:unit_children": U,
    "organisations:unit_add_child": U,
    "organisations:unit_edit": U,
    "organisations:unit_move": {"unit_id": "group"},
    "organisations:unit_merge": {"unit_id": "group"},
    "organisations:member_list": U,
    "organisations:member_export": U,
    "organisations:member_add": U,
    "organisations:membership_end": {"membership_id": "membership"},
    "organisations:import_start": U,
    "organisations:import_template": U,
    "organisations:import_detail": {"import_id": "import"},
    "organisations:import_confirm": {"import_id": "import"},
    "organisations:import_errors": {"import_id": "import"},
    "lrs_pages:unit": {"unit_id": "group"},
    "lrs_pages:client_revoke": {"unit_id": "group", "client_id": "client"},
    "lrs_pages:client": {"unit_id": "group", "client_id": "client"},
    "records:assist": {"membership_id": "membership"},
    "recognition:register_for": {"membership_id": "membership"},
    "api_pages:unit_tokens": U,
    "api-v1:unit_figures": U,
    "api-v1:provider_put": U,
    "funding:unit_funds": U,
    "funding:fund": {"fund_id": "fund"},
    "funding:spend_decide": {"spend_id": "spend"},
    "funding:fund_report": {"fund_id": "fund"},
    "funding:fund_month_report": {"fund_id": "fund"},
    "api-v1:fund_get": {"fund_id": "fund"},
    "api-v1:fund_list": U,
    "api-v1:fund_spend_list": {"fund_id": "fund"},
    "api-v1:fund_grant": {"fund_id": "fund"},
    "api-v1:fund_list_add": {"fund_id": "fund"},
    "api-v1:provider_payment_list": U,
    "funding:assist_spend": {
        "membership_id": "assisted_membership",
        "fund_id": "fund",
        "course_id": "paid_course",
    },
    "funding:provider": U,
    "credits:provider": U,
    "contests:unit": U,
    "contests:manage": {"contest_id": "contest"},
    "contests:review": {"sitting_id": "sitting"},
    "contests:publish": {"round_id": "contest_round"},
    "contests:certificates": {"round_id": "contest_round"},
    "credits:report": U,
    "reports:unit": U,
    "stories:manage": U,
    "stories:nominate_unit": U,
    "stories:nominate": {"membership_id": "membership"},
    "stories:edit": {"story_id": "story"},
    "reports:dashboard": U,
    "reports:period": {"period_id": "report_period"},
    "reports:report": {"report_id": "report"},
    "reports:review": {"report_id": "child_report"},
    "reports:pdf": {"report_id": "report"},
    "reports:xlsx": {"report_id": "report"},
    "api-v1:credit_report": U,
    "credits:manage": {"programme_id": "programme"},
    "credits:accreditations": {},
    "funding:provider_report": U,
    "api-v1:unit_bulk": U,
    "api-v1:unit_assessment_list": U,
    "api-v1:decision_list": U,
    "api-v1:decision_issue": U,
    "api-v1:assessment_approve": {"assessment_id": "assessment"},
    "api-v1:assessment_return": {"assessment_id": "assessment"},
    "api-v1:decision_get": {"decision_id": "decision"},
    "api-v1:decision_publish": {"decision_id": "decision"},
    "api-v1:decision_revoke": {"decision_id": "decision"},
    "api-v1:campaign_list": U,
    "api-v1:campaign_create": U,
    "api-v1:unit_task_list": U,
    "api-v1:campaign_get": {"campaign_id": "campaign"},
    "api-v1:campaign_launch": {"campaign_id": "campaign"},
    "api-v1:campaign_figures": {"campaign_id": "campaign"},
    "api-v1:task_list": {"campaign_id": "campaign"},
    "api-v1:task_get": {"task_id": "task"},
    "api-v1:task_report": {"task_id": "task"},
    "api-v1:session_list": {"task_id": "task"},
    "api-v1:session_create": {"task_id": "task"},
    "api-v1:quiz_result_list": {"task_id": "task"},
    "api-v1:reflection_list": {"task_id": "task"},
    "api-v1:reflection_review": {"task_id": "task", "reflection_id": "reflection"},
    "api-v1:attendance_list": {"session_id": "session"},
    "api-v1:attendance_bulk": {"session_id": "session"},
    "api-v1:provider_course_list": U,
    "api-v1:course_create": U,
    "api-v1:resource_list": U,
    "api-v1:resource_add": U,
    "api-v1:course_update": {"course_id": "course"},
    "api-v1:module_add": {"course_id": "course"},
    "api-v1:lesson_add": {"course_id": "course"},
    "api-v1:question_add": {"course_id": "course"},
    "api-v1:run_add": {"course_id": "course"},
    "api-v1:course_submit": {"course_id": "course"},
    "api-v1:course_publish": {"course_id": "course"},
    "api-v1:course_withdraw": {"course_id": "course"},
    "api-v1:enrolment_list": {"course_id": "course"},
    "api-v1:enrolment_bulk": {"course_id": "course"},
    "api-v1:completion_bulk": {"course_id": "course"},
    "api-v1:membership_bulk": U,
    "api_pages:token_revoke": {"token_id": "api_token"},
    "api_pages:unit_webhooks": U,
    "api_pages:webhook_end": {"subscription_id": "webhook"},
    "campaigns:check_in_for": {"membership_id": "membership", "session_id": "session"},
    "records:venue_poster": {"unit_id": "library"},
    "records:reject": {"entry_id": "pending_entry"},
    "campaigns:create": {"unit_id": "federation"},
    "campaigns:detail": {"campaign_id": "campaign"},
    "campaigns:launch": {"campaign_id": "campaign"},
    "campaigns:close": {"campaign_id": "campaign"},
    "campaigns:extend": {"campaign_id": "campaign"},
    "campaigns:document_add": {"campaign_id": "campaign"},
    "campaigns:partner_invite": {"campaign_id": "campaign"},
    "campaigns:partner_accept": {"campaign_id": "campaign", "partner_id": "partner"},
    "campaigns:subcampaign": {"task_id": "task"},
    "campaigns:reflection_file": {"task_id": "task", "reflection_id": "reflection"},
    "campaigns:reflection_review": {"task_id": "task", "reflection_id": "reflection"},
    "campaigns:photo": {"session_id": "session", "photo_id": "photo"},
    "campaigns:remind": {"campaign_id": "campaign"},
    "campaigns:export_xlsx": {"campaign_id": "campaign"},
    "campaigns:report_pdf": {"campaign_id": "campaign"},
    "campaigns:questions": {"campaign_id": "campaign"},
    "campaigns:session_qr": {"session_id": "session"},
    "campaigns:session_shown": {"session_id": "session"},
    "campaigns:session_minutes": {"session_id": "session"},
    "catalog:manage": {"unit_id": "clc"},
    "catalog:manage_course": {"course_id": "course"},
    "packages:upload": {"course_id": "package_course"},
    "packages:new_course": U,
    "packages:report": {"package_id": "package"},
    "packages:report_xlsx": {"package_id": "package"},
    "packages:delete": {"package_id": "package"},
    "recognition:review": {"assessment_id": "assessment"},
    "recognition:unit": U,
    "recognition:decision_new": U,
    "recognition:round": U,
    "recognition:commendation_propose": U,
    "recognition:commendation_decide": {"unit_id": "federation"},
    "recognition:decision": {"decision_id": "decision"},
    "recognition:movement_new": {"unit_id": "federation"},
    "recognition:set_import": {},
    "credentials:unit": {"unit_id": "clc"},
    "credentials:unit_issue": {"unit_id": "clc", "entry_id": "pending_entry"},
    "credentials:unit_issue_all": {"unit_id": "clc"},
    "credentials:unit_revoke": {"unit_id": "clc", "uid": "credential_uid"},
    "credentials:unit_rotate_key": {"unit_id": "clc"},
    "credentials:unit_endorse": {"unit_id": "clc"},
    "credentials:unit_endorse_one": {"unit_id": "federation", "uid": "achievement_uid"},
    "api-v1:unit_get": U,
    "api-v1:unit_summary": U,
    "api-v1:unit_children": U,
    "api-v1:unit_create_child": U,
    "api-v1:unit_move": {"unit_id": "group"},
    "api-v1:unit_merge": {"unit_id": "group"},
    "api-v1:membership_list": U,
    "api-v1:membership_create": U,
    "api-v1:membership_end": {"membership_id": "membership"},
    "api-v1:import_upload": U,
    "api-v1:import_get": {"import_id": "import"},
    "api-v1:import_confirm": {"import_id": "import"},
    "api-v1:entry_verify": {"entry_id": "pending_entry"},
    "api-v1:entry_reject": {"entry_id": "pending_entry"},
    "api-v1:credential_revoke": {"unit_id": "clc", "uid": "credential_uid"},
}


def _api_bodies() -> dict:
    """Bodies that pass each operation's schema, so the access check is what answers."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import xlsx_bytes

    today = dt.date.today().isoformat()
    course = {"title": "Khoá mới", "summary": "Tóm tắt", "category": "law", "format": "online",
              "hours": "2"}  # fmt: skip
    campaign = {"title": "Học tập", "purpose": "Mục đích", "target_type_codes": ["cdcs"],
                "starts_on": today, "ends_on": today, "report_due": today}  # fmt: skip
    decision = {"assessment_ids": [1], "number": "1/QĐ", "date": today, "signer": "A"}
    session = {"kind": "talk", "title": "Tọa đàm", "starts_at": f"{today}T08:00:00+07:00"}
    return {
        "api-v1:unit_create_child": {"name": "Tổ mới", "code": "TCD-X", "unit_type": "cdcs"},
        "api-v1:unit_children": {"name": "Tổ mới", "code": "TCD-X", "unit_type": "cdcs"},
        "api-v1:unit_move": {"new_parent_id": 1, "effective_date": today},
        "api-v1:unit_merge": {"target_id": 1, "effective_date": today},
        "api-v1:membership_create": {"full_name": "Kiều Văn Mạnh", "phone": "0977222002"},
        "api-v1:membership_end": {"reason": "chuyển công tác"},
        "api-v1:membership_bulk": {
            "members": [{"full_name": "Kiều Văn Mạnh", "phone": "0977222003"}],
            "consent": True,
        },
        "api-v1:import_upload": {
            "file": SimpleUploadedFile("a.xlsx", xlsx_bytes([["Lê Văn A", "", "", "0977000001"]]))
        },
        "api-v1:entry_reject": {"reason": "không đúng"},
        "api-v1:provider_put": {"description": "Trung tâm"},
        "api-v1:campaign_create": campaign,
        "api-v1:campaign_list": campaign,
        "api-v1:task_report": {"note": "đã làm"},
        "api-v1:fund_grant": {"round_label": "r2", "learners": [{"membership_id": 1}]},
        "api-v1:fund_list_add": {"learners": [{"membership_id": 1}]},
        "api-v1:fund_spend_list": {"round_label": "r2", "learners": [{"membership_id": 1}]},
        "api-v1:unit_bulk": {"units": [{"code": "T-1", "name": "Tổ một", "unit_type": "cdcs"}]},
        "api-v1:session_create": session,
        "api-v1:session_list": session,
        "api-v1:attendance_bulk": {"attendees": [{"membership_id": 1}]},
        "api-v1:attendance_list": {"attendees": [{"membership_id": 1}]},
        "api-v1:reflection_review": {"accept": True},
        "api-v1:assessment_return": {"reason": "thiếu"},
        "api-v1:decision_revoke": {"reason": "nhầm"},
        "api-v1:decision_issue": decision,
        "api-v1:decision_list": decision,
        "api-v1:course_create": course,
        "api-v1:provider_course_list": course,
        "api-v1:course_update": {"title": "Đổi tên"},
        "api-v1:module_add": {"title": "Phần 2"},
        "api-v1:lesson_add": {
            "module_id": 1,
            "title": "Bài",
            "kind": "link",
            "url": "https://a.vn",
        },
        "api-v1:question_add": {"kind": "short", "text": "Câu hỏi", "answers": ["có"]},
        "api-v1:run_add": {
            "starts_at": f"{today}T08:00:00+07:00",
            "ends_at": f"{today}T17:00:00+07:00",
            "place": "Hội trường",
            "seats": 30,
        },
        "api-v1:course_withdraw": {"comment": "sửa lại"},
        "api-v1:enrolment_bulk": {"learners": [{"membership_id": 1}]},
        "api-v1:completion_bulk": {"learners": [{"membership_id": 1}]},
        "api-v1:resource_list": {
            "title": "Tài liệu",
            "kind": "link",
            "category": "law",
            "url": "https://a.vn",
            "licence": "CC0-1.0",
            "author": "Bộ",
        },
        "api-v1:resource_add": {
            "title": "Tài liệu",
            "kind": "link",
            "category": "law",
            "url": "https://a.vn",
            "licence": "CC0-1.0",
            "author": "Bộ",
        },
        "api-v1:credential_revoke": {"reason": "sai sót"},
    }


def _routes():
    """(name, pattern) for every route of ours (Django's admin and allauth's pages aside)."""

    def walk(patterns, prefix="", ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                space = f"{ns}:{p.namespace}" if p.namespace else ns
                yield from walk(p.url_patterns, prefix + str(p.pattern), space)
            elif isinstance(p, URLPattern):
                yield f"{ns.strip(':')}:{p.name or ''}", prefix + str(p.pattern)

    return [
        r for r in walk(get_resolver().url_patterns) if not r[1].startswith(("admin/", "accounts/"))
    ]


def _api_operations() -> set[str]:
    from suotdoi.api.router import api

    names = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                names.add(f"api-v1:{op.view_func.__name__}")
    return names


def _api_other_methods() -> dict[str, list[str]]:
    """Operations declared with PUT, PATCH or DELETE: the matrix calls those too."""
    from suotdoi.api.router import api

    out: dict[str, list[str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                extra = [m for m in op.methods if m not in ("GET", "POST")]
                if extra:
                    out.setdefault(f"api-v1:{op.view_func.__name__}", []).extend(extra)
    return out


def test_every_route_is_in_the_matrix_or_public_with_a_reason():
    names = {name for name, _ in _routes()} | _api_operations()
    listed = set(PUBLIC) | set(OWN) | set(MEMBER) | set(STAFF)
    assert names - listed == set(), "add these routes to the matrix or to PUBLIC with a reason"
    assert listed - names == set(), "these listed routes no longer exist"
    assert all(reason.strip() for reason in PUBLIC.values())
    print(f"routes: {len(names)} — matrix {len(listed) - len(PUBLIC)}, public {len(PUBLIC)}")


def _snapshot() -> dict:
    """Row counts of every table of ours and the newest change time where there is one."""
    from django.db.models import Max

    out = {}
    for model in apps.get_models():
        if not model.__module__.startswith("suotdoi."):
            continue
        qs = model._base_manager
        row = [qs.count()]
        for f in ("updated_at", "revoked_at", "accepted_at", "decided_at"):
            if any(x.name == f for x in model._meta.concrete_fields):
                row.append(qs.aggregate(m=Max(f))["m"])
        out[model._meta.label] = tuple(row)
    return out


def _url(name: str, pattern_by_name: dict, ids: dict, kwargs: dict) -> str:
    from django.urls import reverse

    values = {}
    for k, key in kwargs.items():
        values[k] = ids.get(key, key) if isinstance(key, str) else key
        if values[k] is None:
            values[k] = 999999 if k.endswith("_id") else "00000000-0000-0000-0000-000000000000"
    if name.startswith("api-v1:"):
        return reverse(name, kwargs=values)
    return reverse(name, kwargs=values)


def test_outsiders_get_404_on_every_route_and_change_nothing():
    w = build_route_world()
    ids = dict(w.ids)
    cred = ids.pop("credential")
    ids["credential_uid"] = str(cred.uid) if cred else None
    ids["achievement_uid"] = str(ids.pop("achievement"))
    from suotdoi.campaigns.models import Reflection, SessionPhoto
    from suotdoi.recognition.models import Evidence

    ids["reflection"] = Reflection.objects.values_list("pk", flat=True).first()
    ids["photo"] = SessionPhoto.objects.values_list("pk", flat=True).first()
    ids["evidence"] = Evidence.objects.values_list("pk", flat=True).first()
    p = w.people
    clients = {}
    for who in [
        "foreign_officer",
        "foreign_member",
        "sibling_member",
        "sibling_union_member",
        "member",
        "peer",
    ]:
        c = Client()
        c.force_login(p[who])
        c.get("/api/v1/me")
        token = c.cookies.get("csrftoken")
        clients[who] = (c, {"X-CSRFToken": token.value} if token else {})
    plan = [(n, kw, ["foreign_officer", "sibling_member", "member"]) for n, kw in STAFF.items()]
    plan += [(n, kw, outsiders) for n, (kw, outsiders) in MEMBER.items()]
    plan += [(n, kw, ["foreign_officer", "sibling_member", "peer"]) for n, kw in OWN.items()]
    patterns = dict(_routes())
    global API_BODIES
    API_BODIES = _api_bodies()
    other_methods = _api_other_methods()
    failures = []
    missing = sorted({k for _n, kw, _w in plan for k in kw.values() if ids.get(k, "") is None})
    before = _snapshot()
    calls = 0
    for name, kwargs, outsiders in plan:
        url = _url(name, patterns, ids, kwargs)
        for who in outsiders:
            c, headers = clients[who]
            for method in ("get", "post"):
                if not name.startswith("api-v1:"):
                    r = getattr(c, method)(url, {})
                elif method == "get" and name in GET_IS_PUBLIC:
                    continue
                elif method == "get":
                    r = c.get(url, headers=headers)
                elif name == "api-v1:import_upload":
                    r = c.post(url, _api_bodies()[name], headers=headers)
                else:
                    body = API_BODIES.get(name, {})
                    r = c.post(url, body, content_type="application/json", headers=headers)
                calls += 1
                if r.status_code not in (404, 405):
                    failures.append((name, who, method, r.status_code, r.content[:200]))
            for method in other_methods.get(name, []):
                r = c.generic(
                    method,
                    url,
                    json.dumps(API_BODIES.get(name, {})),
                    content_type="application/json",
                    headers=headers,
                )
                calls += 1
                if r.status_code not in (404, 405):
                    failures.append((name, who, method, r.status_code, r.content[:200]))
    after_sessions = _snapshot()
    changed_by_sessions = {
        k: (before[k], after_sessions[k]) for k in before if before[k] != after_sessions[k]
    }
    # Machines: a token of another tree (all its maker may do there), and a token of an
    # insider that lacks the capability (it may only read the audit log).
    from suotdoi.api.tokens import token_create

    bearers = {}
    for label, who, unit, caps in [
        ("foreign_token", "foreign_officer", w.units["foreign_federation"],
         ["view", "view_members", "manage_members", "manage_units", "issue_credentials"]),
        ("weak_token", "grassroots_chair", w.units["grassroots"], ["view_audit"]),
    ]:  # fmt: skip
        _row, secret = token_create(
            actor=p[who], unit=unit, kind="personal", name=label, capabilities=caps, days=1
        )
        bearers[label] = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    before = _snapshot()
    for name, kwargs, _outsiders in plan:
        if not name.startswith("api-v1:") or name in TOKEN_MAY:
            continue
        url = _url(name, patterns, ids, kwargs)
        for label, c in bearers.items():
            if name == "api-v1:import_upload":
                r = c.post(url, _api_bodies()[name])
            else:
                r = c.post(url, API_BODIES.get(name, {}), content_type="application/json")
            r2 = c.get(url)
            calls += 2
            more = [
                (m, c.generic(m, url, json.dumps(API_BODIES.get(name, {})),
                              content_type="application/json"))
                for m in other_methods.get(name, [])
            ]  # fmt: skip
            calls += len(more)
            got = [] if name in GET_IS_PUBLIC else [("get", r2)]
            for method, resp in (("post", r), *got, *more):
                if resp.status_code not in (404, 405):
                    failures.append((name, label, method, resp.status_code, resp.content[:200]))
    after = _snapshot()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    print(
        f"{calls} denied calls; objects missing from the demo (called with an absent id): {missing}"
    )
    for f in failures:
        print("DENY-FAIL", f)
    assert failures == [], failures
    assert changed_by_sessions == {}, changed_by_sessions
    assert changed == {}, changed
