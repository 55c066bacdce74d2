"""The SAML setting rules and the SP metadata reader as pure functions (no server)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from idplane.identitycenter.applications import configuration
from idplane.identitycenter.applications.instances.metadata import parse_sp_metadata
from idplane.platform.errors import Invalid
from tests.identitycenter.applications.saml_samples import EMAIL, PERSISTENT, acs, sp_metadata


@pytest.mark.parametrize(
    "ttl, issued, expires",
    [
        ("P1Y", datetime(2024, 2, 29, tzinfo=UTC), datetime(2025, 2, 28, tzinfo=UTC)),
        ("P1M", datetime(2025, 1, 31, tzinfo=UTC), datetime(2025, 2, 28, tzinfo=UTC)),
        ("P9M", datetime(2025, 6, 15, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC)),
        ("P1Y6M10D", datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 7, 11, tzinfo=UTC)),
        ("P10Y", datetime(2025, 1, 1, tzinfo=UTC), datetime(2035, 1, 1, tzinfo=UTC)),
    ],
)
def test_certificate_lifetimes_count_calendar_months(ttl, issued, expires):
    assert configuration.certificate_validity(ttl)(issued) == expires


@pytest.mark.parametrize(
    "ttl", ["", "P", "P0Y", "P11Y", "P121M", "P9999Y", "P999999D", "PT1H", "1Y", "P-1Y"]
)
def test_certificate_lifetimes_outside_one_day_to_ten_years_are_refused(ttl):
    with pytest.raises(Invalid):
        configuration.certificate_validity(ttl)


@pytest.mark.parametrize(
    "ttl, ok",
    [
        ("PT15M", True),
        ("PT12H", True),
        ("PT1H30M", True),
        ("PT14M", False),
        ("PT13H", False),
        ("PT", False),
    ],
)
def test_session_durations_are_fifteen_minutes_to_twelve_hours(ttl, ok):
    config = {"ttl": ttl, "subject": {"source": ["${user:email}"]}}
    if ok:
        assert configuration.response_config(config) is config
    else:
        with pytest.raises(Invalid):
            configuration.response_config(config)


@pytest.mark.parametrize(
    "source, ok",
    [
        ("${user:email}", True),
        ("${user:givenName} ${user:familyName}", True),
        ("a literal value", True),
        ("${user:phone}", False),
        ("${session:id}", False),
        ("  ", False),
    ],
)
def test_attribute_sources_name_known_user_attributes(source, ok):
    config = {"ttl": "PT1H", "properties": {"a": {"source": [source]}}}
    if ok:
        configuration.response_config(config)
    else:
        with pytest.raises(Invalid):
            configuration.response_config(config)


def test_the_reader_takes_entity_id_consumers_signature_and_name_id_formats():
    parsed = parse_sp_metadata(sp_metadata())
    assert parsed.entity_id == "https://sp.example.org/shibboleth"
    assert [c["default_value"] for c in parsed.consumers] == [False, True]
    assert parsed.authn_requests_signed is True
    assert parsed.name_id_formats == [PERSISTENT, EMAIL]


def test_unknown_name_id_formats_in_metadata_are_left_out():
    document = sp_metadata(name_id_formats=("urn:example:custom", EMAIL, EMAIL))
    assert parse_sp_metadata(document).name_id_formats == [EMAIL]


def test_a_non_numeric_index_is_refused():
    with pytest.raises(Invalid):
        parse_sp_metadata(sp_metadata(services=acs("https://a/acs", extra='index="one"')))
