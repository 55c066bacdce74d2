"""Concurrent requests stay correct without in-process locks: assignments racing to make the
Default profile, activations racing, and assignments racing the deletion of their principal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from idplane.identitycenter.applications.tables import ApplicationAssignment
from tests.identitycenter.applications.support import (
    activate,
    assign,
    assignments,
    create_certificate,
    create_instance,
    create_user,
    delete_profile,
    delete_user,
    outcome,
    profiles,
    statuses,
)


def _parallel(*calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result() for f in [pool.submit(outcome, call) for call in calls]]


def test_assignments_racing_to_remake_the_default_profile_make_one(org):
    app = create_instance(org).application_instance_id
    delete_profile(org, app, profiles(org, app)[0].profile_id)
    users = [create_user(org) for _ in range(6)]

    results = _parallel(*[lambda u=u: assign(org, app, u) for u in users])

    assert results == ["ok"] * len(users)
    [profile] = profiles(org, app)
    assert profile.name == "Default"
    assert sorted(p for _, p in assignments(org, app)) == sorted(users)


def test_the_same_assignment_racing_itself_is_made_once(org):
    app = create_instance(org).application_instance_id
    user = create_user(org)
    results = _parallel(*[lambda: assign(org, app, user) for _ in range(4)])
    assert sorted(results, key=str) == sorted(["ok"] + [(409, "IIC.1257")] * 3, key=str)
    assert assignments(org, app) == [("USER", user)]


def test_racing_activations_leave_exactly_one_active_certificate(org):
    app = create_instance(org).application_instance_id
    made = [create_certificate(org, app).certificate_id for _ in range(2)]
    _parallel(*[lambda c=c: activate(org, app, c) for c in made * 2])
    assert sorted(statuses(org, app).values()) == ["ACTIVE", "INACTIVE", "INACTIVE"]


def test_an_assignment_never_outlives_a_user_deleted_at_the_same_moment(org):
    app = create_instance(org).application_instance_id
    users = [create_user(org) for _ in range(5)]
    calls = []
    for user in users:
        calls += [lambda u=user: assign(org, app, u), lambda u=user: delete_user(org, u)]
    _parallel(*calls)
    with org.server.core.store.read() as session:
        left = session.scalar(
            select(func.count())
            .select_from(ApplicationAssignment)
            .where(ApplicationAssignment.principal_id.in_(users))
        )
    assert left == 0
