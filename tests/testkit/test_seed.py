"""Seed files through the services the API uses: the example world round-trips through
`export`, and a bad file is refused whole with its line and field, on either store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from idplane.iam.tables import Account
from idplane.seeding.document import SeedError, dump
from idplane.seeding.exporter import export
from idplane.seeding.seeder import seed
from tests.testkit.stores import core_of

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "world.yaml"


def _accounts(core) -> int:
    with core.store.read() as session:
        return session.scalar(select(func.count()).select_from(Account))


def test_the_example_world_exported_and_seeded_again_exports_the_same(
    fresh_store, tmp_path_factory
) -> None:
    core = core_of(*fresh_store)
    seeded = seed(core, EXAMPLE.read_text(), "world.yaml")
    assert set(seeded.accounts) == {"acme", "acme-dev", "acme-prod"}
    assert seeded.identity_store_id.startswith("d-")
    first = dump(export(core.store))
    core.store.dispose()
    for made in ("id: corp-saml", "corp-mapping", "user_name: bob", "group: developers", "github"):
        assert made in first
    other = tmp_path_factory.mktemp("again")
    again = core_of(f"sqlite:///{other / 'idplane.db'}", other)
    seed(again, first, "exported.yaml")
    assert dump(export(again.store)) == first
    again.store.dispose()


def test_an_export_carries_no_secret(fresh_store) -> None:
    core = core_of(*fresh_store)
    seed(core, EXAMPLE.read_text(), "world.yaml")
    text = dump(export(core.store))
    assert "acme-secret-key" not in text and "AKACME" not in text
    assert "password:" not in text and "secret" not in text
    core.store.dispose()


BAD_USER = """\
organization:
  management: acme
accounts:
  - name: acme
identity_center:
  users:
    - user_name: alice
    - user_name: ""
"""


def test_a_bad_field_is_named_with_its_line_and_nothing_is_written(fresh_store) -> None:
    core = core_of(*fresh_store)
    with pytest.raises(SeedError) as refused:
        seed(core, BAD_USER, "bad.yaml")
    assert str(refused.value).startswith("bad.yaml:8: identity_center.users[1].user_name:")
    assert _accounts(core) == 0
    core.store.dispose()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "accounts:\n  - name: a\n    colour: red\n",
            "t.yaml:3: accounts[0].colour: unknown field",
        ),
        ("accounts:\n  - {name: [x}\n", "t.yaml:2: not valid YAML"),
        ("accounts: [{id: abc}]\n", "t.yaml:1: accounts[0]: missing field name"),
        ("identity_center: {}\n", "t.yaml:1: identity_center: Identity Center needs an"),
        (
            "accounts: [{name: a}]\niam:\n  - account: a\n    users:\n      - name: u\n"
            "        groups: [nope]\n",
            "t.yaml:6: iam[0].users[0].groups[0]: no group nope",
        ),
        (
            "accounts: [{name: a, id: XYZ}]\n",
            "t.yaml:1: accounts[0].id: an account id is 32 lower-case hex digits",
        ),
    ],
    ids=["unknown-field", "bad-yaml", "missing-name", "no-organization", "unknown-group", "id"],
)
def test_bad_files_are_refused_with_the_line_and_the_field(fresh_store, text, message) -> None:
    core = core_of(*fresh_store)
    with pytest.raises(SeedError) as refused:
        seed(core, text, "t.yaml")
    assert str(refused.value).startswith(message), str(refused.value)
    assert _accounts(core) == 0
    core.store.dispose()


def test_a_service_refusal_names_its_item_and_rolls_everything_back(fresh_store) -> None:
    text = (
        "accounts:\n  - name: a\n  - name: b\norganization:\n  management: a\n"
        "  members:\n    - name: b\n"
    )
    core = core_of(*fresh_store)
    with pytest.raises(SeedError) as refused:
        seed(core, text, "t.yaml")
    assert str(refused.value).startswith("t.yaml:7: organization.members[0]:")
    assert _accounts(core) == 0
    core.store.dispose()
