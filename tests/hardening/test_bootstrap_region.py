"""`idplane bootstrap` after the server's region changed: the existing account gains a
project for the new region (it used to crash with NoResultFound)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from huaweicloudsdkiam.v3 import model as m

from tests import clients


def _bootstrap(server, name: str, region: str) -> dict:
    env = {
        **os.environ,
        "IDPLANE_DATA_DIR": str(server.data_dir),
        "IDPLANE_DATABASE_URL": server.database_url,
        "IDPLANE_REGION": region,
    }
    done = subprocess.run(
        [sys.executable, "-m", "idplane", "bootstrap", "--account-name", name, "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_bootstrap_in_a_new_region_gives_the_account_that_regions_project(server, account):
    again = _bootstrap(server, account.account_name, "ap-southeast-1")
    assert again["account_id"] == account.account_id
    assert again["region"] == "ap-southeast-1"
    assert again["project_id"] != account.project_id
    projects = clients.iam(server.url, account).keystone_list_projects(
        m.KeystoneListProjectsRequest()
    )
    names = {p.name: p.id for p in projects.projects}
    assert names["ap-southeast-1"] == again["project_id"]
    assert names["cn-north-4"] == account.project_id


def test_bootstrap_twice_in_the_new_region_keeps_one_project(server, account):
    first = _bootstrap(server, account.account_name, "ap-southeast-1")
    second = _bootstrap(server, account.account_name, "ap-southeast-1")
    assert second["project_id"] == first["project_id"]
