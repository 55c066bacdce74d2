"""Signing in to the Identity Center portal through the identity store's external SAML IdP: the
sign-in page hands the browser to the IdP with an AuthnRequest, and the IdP's signed response
at the ACS that `get_sp_configuration_for_directory` advertises signs the user in, bound to
that browser's request. A real pysaml2 IdP; a real browser for the whole device flow."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from tests.browser import offline_page
from tests.identitystore.builders import new_directory
from tests.identitystore.test_external_idp import create_from_metadata, enable, sp_config
from tests.signin.idp_site import serving
from tests.signin.support import Portal, poll, register, start


@pytest.fixture(scope="module")
def portal(server) -> Portal:
    from idplane.signin.assembly import Signin

    directory = new_directory(server)  # a store of its own: its users sign in at the IdP
    return Portal(server, directory, Signin.build(server.core.store, server.url, server.core.box))


@pytest.fixture(scope="module")
def idp(portal, tmp_path_factory):
    sp = sp_config(portal.directory.client(), portal.store_id)
    attributes = {"email": ["someone.else@example.org"]}
    with serving(tmp_path_factory.mktemp("idp"), sp.issuer, sp.acs_url, attributes) as idp:
        created = create_from_metadata(portal.directory, idp)
        enable(portal.directory, created.idp_id)
        idp.acs_url = sp.acs_url  # type: ignore[attr-defined]
        yield idp


def browser(portal: Portal) -> httpx.Client:
    return httpx.Client(base_url=portal.server.url, follow_redirects=False, timeout=30)


def begin(portal: Portal, idp, http: httpx.Client) -> str:
    """Opens the sign-in page, which answers with the redirect to the IdP; the AuthnRequest's
    ID as the IdP reads it."""
    answer = http.get(f"/{portal.store_id}/portal/login")
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == idp.sso_url
    query = parse_qs(location.query)
    assert query["RelayState"] == [f"/{portal.store_id}/portal"]
    request_id, issuer, acs = idp.authn_request(query["SAMLRequest"][0])
    assert (issuer, acs) == (sp_config(portal.directory.client(), portal.store_id).issuer, acs)
    return request_id


def post_response(portal: Portal, idp, http: httpx.Client, response: str) -> httpx.Response:
    relay = f"/{portal.store_id}/portal"
    return http.post(idp.acs_url, data={"SAMLResponse": response, "RelayState": relay})


def test_a_user_signs_in_at_the_external_idp_in_chromium_and_approves_the_device(
    portal, idp
) -> None:
    _, name, _ = portal.user()
    client = portal.oidc()
    info = register(client, "hcloud")
    started = start(client, info, portal.start_url)
    with offline_page() as page:
        page.goto(started.verification_uri_complete)
        assert page.get_by_role("heading", name="Corporate sign-in").is_visible()
        page.get_by_label("Corporate user").fill(name)
        page.get_by_role("button", name="Sign in at the IdP").click()
        page.get_by_role("button", name="Continue").click()
        assert page.get_by_label("User code").inner_text() == started.user_code
        page.get_by_role("button", name="Approve").click()
        assert page.get_by_role("heading", name="Device approved").is_visible()
        page.get_by_role("link", name="Go to your portal").click()
        assert page.get_by_text(name).first.is_visible()
    assert poll(client, info, started.device_code).access_token


def test_the_asserted_email_finds_the_user_when_the_name_id_is_not_a_user_name(portal, idp) -> None:
    _, name, _ = portal.user(
        emails=[ids.EmailDto(primary=True, type="work", value="someone.else@example.org")]
    )
    http = browser(portal)
    request_id = begin(portal, idp, http)
    response = idp.response(
        "corp-4711",
        {"email": ["someone.else@example.org"]},
        idp.acs_url,
        in_response_to=request_id,
    )
    answer = post_response(portal, idp, http, response)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/{portal.store_id}/portal"
    page = http.get(answer.headers["location"])
    assert page.status_code == 200 and name in page.text


def test_a_replayed_response_is_refused_even_with_the_request_cookie(portal, idp) -> None:
    _, name, _ = portal.user()
    http = browser(portal)
    request_id = begin(portal, idp, http)
    secret = http.cookies["idplane_saml_request"]
    response = idp.response(name, {}, idp.acs_url, in_response_to=request_id)
    assert post_response(portal, idp, http, response).status_code == 303
    assert "idplane_saml_request" not in http.cookies  # the ACS dropped the binding
    again = browser(portal)
    again.cookies.set("idplane_saml_request", secret)
    refused = post_response(portal, idp, again, response)
    assert refused.status_code == 401
    assert "already been used" in refused.text


def test_a_response_to_another_browsers_request_or_unsolicited_is_refused(portal, idp) -> None:
    _, name, _ = portal.user()
    victim, attacker = browser(portal), browser(portal)
    begin(portal, idp, victim)
    attackers_request = begin(portal, idp, attacker)
    response = idp.response(name, {}, idp.acs_url, in_response_to=attackers_request)
    assert post_response(portal, idp, victim, response).status_code == 401
    unsolicited = idp.response(name, {}, idp.acs_url)
    assert post_response(portal, idp, victim, unsolicited).status_code == 401
    assert "idplane_portal" not in victim.cookies


@pytest.mark.parametrize("flaw", ["forged", "audience", "expired", "recipient"])
def test_forged_misaddressed_or_expired_responses_are_refused(portal, idp, flaw) -> None:
    _, name, _ = portal.user()
    http = browser(portal)
    request_id = begin(portal, idp, http)
    issuer = idp.sp_entity_id
    signer, destination = idp, idp.acs_url
    if flaw == "expired":
        signer = idp.with_lifetime(-10)
    if flaw == "recipient":
        destination = "https://elsewhere.example.com/acs"
    response = signer.response(
        name,
        {},
        destination,
        audience="https://other-sp.example.com" if flaw == "audience" else issuer,
        impostor=flaw == "forged",
        in_response_to=request_id,
    )
    refused = post_response(portal, idp, http, response)
    assert refused.status_code == 401
    assert "idplane_portal" not in http.cookies


def test_an_unknown_user_of_the_idp_is_refused(portal, idp) -> None:
    http = browser(portal)
    request_id = begin(portal, idp, http)
    response = idp.response("nobody-here", {}, idp.acs_url, in_response_to=request_id)
    assert post_response(portal, idp, http, response).status_code == 401


def test_passwords_no_longer_sign_in_while_the_external_idp_is_enabled(portal, idp) -> None:
    from idplane.platform.errors import Unauthenticated

    _, name, otp = portal.user()
    with pytest.raises(Unauthenticated):
        portal.session(name, otp)


def test_an_idp_that_wants_signed_requests_gets_them_signed_with_the_active_sp_key(
    server, tmp_path
) -> None:
    import base64

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from tests.federation.saml_idp import SamlIdp

    directory = new_directory(server)
    client, store = directory.client(), directory.identity_store_id
    sp = sp_config(client, store)
    certificate = client.create_sp_certificate(
        ids.CreateSpCertificateRequest(identity_store_id=store)
    ).x509certificate
    idp = SamlIdp(tmp_path, sp.issuer, [sp.acs_url], sso_url="http://127.0.0.1:9/sso")
    created = client.create_external_id_p_configuration_for_directory(
        ids.CreateExternalIdPConfigurationForDirectoryRequest(
            identity_store_id=store,
            body=ids.CreateIDPReqBody(
                idp_saml_config={
                    "entity_id": idp.entity_id,
                    "login_url": idp.sso_url,
                    "want_request_signed": True,
                },
                idp_certificate=idp.cert_file.read_text(),
            ),
        )
    )
    enable(directory, created.idp_id)
    answer = httpx.get(f"{server.url}/{store}/portal/login", follow_redirects=False, timeout=30)
    assert answer.status_code == 303
    query = urlsplit(answer.headers["location"]).query
    fields = dict(part.split("=", 1) for part in query.split("&"))
    assert set(fields) == {"SAMLRequest", "RelayState", "SigAlg", "Signature"}
    signed = "&".join(f"{k}={fields[k]}" for k in ("SAMLRequest", "RelayState", "SigAlg"))
    signature = base64.b64decode(parse_qs(f"s={fields['Signature']}")["s"][0])
    key = x509.load_pem_x509_certificate(certificate.encode()).public_key()
    key.verify(signature, signed.encode(), padding.PKCS1v15(), hashes.SHA256())  # raises if not
    assert parse_qs(query)["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
