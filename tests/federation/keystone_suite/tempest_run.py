"""Runs keystone-tempest-plugin's OS-FEDERATION API tests against an idplane endpoint.

Tempest reads its configuration from a `tempest.conf` (TEMPEST_CONFIG_DIR); the tests take the
identity v3 endpoint from the catalog of the token they get with the configured admin
credentials, exactly as against Keystone. The account's root user is tempest's admin, its
default project the admin project.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

MODULES = (
    "keystone_tempest_plugin.tests.api.identity.v3.test_identity_providers",
    "keystone_tempest_plugin.tests.api.identity.v3.test_mapping_rules",
)

CONF = """[DEFAULT]
log_file = {workdir}/tempest.log
use_stderr = false

[oslo_concurrency]
lock_path = {workdir}/locks

[auth]
use_dynamic_credentials = false
admin_username = {user}
admin_password = {password}
admin_project_name = {project}
admin_domain_name = {domain}
admin_user_domain_name = {domain}
admin_project_domain_name = {domain}

[identity]
uri_v3 = {url}/v3
auth_version = v3
region = {region}
catalog_type = identity
v3_endpoint_type = public
disable_ssl_certificate_validation = true

[identity-feature-enabled]
api_v2 = false
api_v3 = true
federation = true

[service_available]
nova = false
cinder = false
glance = false
neutron = false
swift = false
"""


def write_conf(
    workdir: Path, url: str, user: str, password: str, project: str, domain: str, region: str
) -> Path:
    (workdir / "locks").mkdir(parents=True, exist_ok=True)
    path = workdir / "tempest.conf"
    path.write_text(
        CONF.format(
            workdir=workdir,
            url=url,
            user=user,
            password=password,
            project=project,
            domain=domain,
            region=region,
        )
    )
    return path


def run(workdir: Path) -> tuple[int, int, str]:
    """Runs the modules; returns (tests run, failures + errors, the runner's output)."""
    env = {**os.environ, "TEMPEST_CONFIG_DIR": str(workdir), "TEMPEST_CONFIG": "tempest.conf"}
    done = subprocess.run(
        [sys.executable, "-m", "unittest", "-v", *MODULES],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stderr + done.stdout
    ran = re.search(r"Ran (\d+) tests?", output)
    failed = re.search(r"FAILED \((?:failures=(\d+))?(?:, )?(?:errors=(\d+))?", output)
    bad = sum(int(n) for n in failed.groups() if n) if failed else 0
    return (int(ran.group(1)) if ran else 0), bad, output


if __name__ == "__main__":  # python -m tests.federation.keystone_suite.tempest_run DIR URL ...
    where = Path(sys.argv[1])
    write_conf(where, *sys.argv[2:8])
    count, failures, text = run(where)
    print(text)
    print(count, failures)
