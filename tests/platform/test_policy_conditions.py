"""Resource and Condition evaluation of fine-grained policies (pure logic, no server)."""

from __future__ import annotations

from datetime import timedelta

from idplane.platform.authz import AccessRequest, decide, parse_policy, request_tags
from idplane.platform.clock import now

ACCOUNT = "a" * 32


def _decide(statement: dict, action="iam:users:getUser", resource=None, **context) -> bool:
    keys = {k.lower(): tuple(v) if isinstance(v, list) else (v,) for k, v in context.items()}
    document = {"Version": "5.0", "Statement": [statement]}
    return decide(parse_policy(document), AccessRequest(action, resource, keys)).allowed


def _allow(**extra) -> dict:
    return {"Effect": "Allow", "Action": ["iam:users:*"], **extra}


def test_a_resource_pattern_allows_only_the_urns_it_names() -> None:
    statement = _allow(Resource=[f"iam::{ACCOUNT}:user:alice*"])
    assert _decide(statement, resource=f"iam::{ACCOUNT}:user:alice-2")
    assert not _decide(statement, resource=f"iam::{ACCOUNT}:user:bob")
    assert not _decide(statement, resource="iam::" + "b" * 32 + ":user:alice")


def test_a_resource_restricted_allow_grants_nothing_where_the_service_names_no_resource() -> None:
    assert not _decide(_allow(Resource=[f"iam::{ACCOUNT}:user:alice"]))


def test_principal_account_and_urn_conditions() -> None:
    statement = _allow(Condition={"StringEquals": {"g:PrincipalAccount": [ACCOUNT]}})
    assert _decide(statement, **{"g:PrincipalAccount": ACCOUNT})
    assert not _decide(statement, **{"g:PrincipalAccount": "b" * 32})
    like = _allow(Condition={"StringLike": {"g:PrincipalUrn": ["sts::*:assumed-agency:ops/*"]}})
    assert _decide(like, **{"g:PrincipalUrn": f"sts::{ACCOUNT}:assumed-agency:ops/alice"})


def test_request_tags_conditions_with_set_qualifiers() -> None:
    any_tag = _allow(Condition={"ForAnyValue:StringEquals": {"g:TagKeys": ["team"]}})
    assert _decide(any_tag, **{k: list(v) for k, v in request_tags({"team": "x"}).items()})
    only = _allow(Condition={"ForAllValues:StringEquals": {"g:TagKeys": ["team"]}})
    assert not _decide(
        only, **{k: list(v) for k, v in request_tags({"team": "x", "cc": "1"}).items()}
    )
    value = _allow(Condition={"StringEquals": {"g:RequestTag/team": ["blue"]}})
    assert _decide(value, **{"g:RequestTag/team": "blue"})
    assert not _decide(value)


def test_current_time_windows() -> None:
    later = (now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    current = now().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _decide(
        _allow(Condition={"DateLessThan": {"g:CurrentTime": later}}), **{"g:CurrentTime": current}
    )
    assert not _decide(
        _allow(Condition={"DateGreaterThan": {"g:CurrentTime": later}}),
        **{"g:CurrentTime": current},
    )


def test_source_identity_if_exists_and_null() -> None:
    statement = _allow(Condition={"StringEqualsIfExists": {"g:SourceIdentity": ["alice"]}})
    assert _decide(statement)
    assert not _decide(statement, **{"g:SourceIdentity": "mallory"})
    required = _allow(Condition={"Null": {"g:SourceIdentity": "false"}})
    assert not _decide(required)
    assert _decide(required, **{"g:SourceIdentity": "alice"})


def test_an_explicit_deny_with_a_matching_condition_wins() -> None:
    document = {
        "Version": "5.0",
        "Statement": [
            _allow(),
            {
                "Effect": "Deny",
                "Action": ["iam:users:*"],
                "Condition": {"Bool": {"g:MFAPresent": "false"}},
            },
        ],
    }
    request = AccessRequest("iam:users:getUser", None, {"g:mfapresent": ("false",)})
    decision = decide(parse_policy(document), request)
    assert not decision.allowed and decision.explicit_deny
    assert decide(
        parse_policy(document),
        AccessRequest("iam:users:getUser", None, {"g:mfapresent": ("true",)}),
    ).allowed


def test_conditions_idplane_cannot_judge_fail_closed() -> None:
    unknown = {"StringEquals": {"g:SomethingNew": ["x"]}}
    assert not _decide(_allow(Condition=unknown))
    deny = {
        "Effect": "Deny",
        "Action": ["iam:users:*"],
        "Condition": {"NoSuchOperator": {"g:UserId": "x"}},
    }
    document = {"Version": "5.0", "Statement": [_allow(), deny]}
    assert not decide(parse_policy(document), AccessRequest("iam:users:getUser")).allowed
