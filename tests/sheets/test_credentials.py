"""Credentials: a bad key file is one clear sentence and status 2; a good key signs in (against the fake)."""

from __future__ import annotations

import builtins
import json
import os

import pytest

from addin.adapters.sheets_http import SCOPES, CredentialsError, load_credentials
from tests.sheets.helpers import run_sync


@pytest.fixture
def no_token(sheets_env, monkeypatch):
    monkeypatch.delenv("ADDIN_SHEETS_TOKEN")
    return sheets_env


def _one_sentence(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_a_missing_credentials_file(no_token, journey, tmp_path):
    ran = run_sync([journey, "--credentials", str(tmp_path / "nope.json")])
    assert ran.status == 2
    assert _one_sentence(ran.err) == f"The credentials file {tmp_path / 'nope.json'} does not exist."
    assert no_token.api_count() == 0


def test_a_malformed_credentials_file(no_token, journey, tmp_path):
    key = tmp_path / "key.json"
    key.write_text("{not json", encoding="utf-8")
    ran = run_sync([journey, "--credentials", str(key)])
    assert ran.status == 2
    assert "is not a JSON service-account key" in _one_sentence(ran.err)


def test_a_key_of_the_wrong_kind(no_token, journey, tmp_path):
    key = tmp_path / "client_secret.json"
    key.write_text(json.dumps({"installed": {"client_id": "x"}}), encoding="utf-8")
    ran = run_sync([journey, "--credentials", str(key)])
    assert ran.status == 2
    assert "the sync needs a service-account key" in _one_sentence(ran.err)


def test_a_damaged_service_account_key(no_token, journey, tmp_path):
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"type": "service_account", "client_email": "a@b"}), encoding="utf-8")
    ran = run_sync([journey, "--credentials", str(key)])
    assert ran.status == 2
    assert "is damaged or incomplete" in _one_sentence(ran.err)


def test_a_folder_instead_of_a_key(no_token, journey, tmp_path):
    ran = run_sync([journey, "--credentials", str(tmp_path)])
    assert ran.status == 2
    assert "is a folder" in _one_sentence(ran.err)


def test_an_unreadable_key(no_token, journey, tmp_path, monkeypatch):
    key = tmp_path / "key.json"
    key.write_text("{}", encoding="utf-8")
    key.chmod(0)
    if os.name != "posix" or os.geteuid() == 0:  # root reads any file: make the permission error happen
        real_open = builtins.open

        def denying_open(file, *args, **kwargs):
            if str(file) == str(key):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", denying_open)
    ran = run_sync([journey, "--credentials", str(key)])
    assert ran.status == 2
    assert "cannot be read" in _one_sentence(ran.err)


def test_no_credentials_at_all(no_token, journey):
    ran = run_sync([journey, "--json"])
    assert ran.status == 2
    line = ran.json_lines()[0]
    assert line["error"].startswith("No Google credentials: pass --credentials KEY.json or set")


def test_google_application_credentials_is_used(no_token, journey, tmp_path, monkeypatch):
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "from-env.json"))
    ran = run_sync([journey])
    assert ran.status == 2 and "from-env.json does not exist" in ran.err


def test_a_token_the_server_refuses(sheets_env, journey, monkeypatch):
    monkeypatch.setenv("ADDIN_SHEETS_TOKEN", "expired")
    ran = run_sync([journey])
    assert ran.status == 2
    assert "did not accept the access token in ADDIN_SHEETS_TOKEN" in _one_sentence(ran.err)


def test_a_service_account_key_signs_in_with_the_spreadsheets_scope(no_token, journey, tmp_path):
    """The whole google-auth path: a signed JWT goes to the key's token_uri, the token is then used."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key = tmp_path / "sa.json"
    key.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "p",
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": "sync@p.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": no_token.token_uri,
            }
        ),
        encoding="utf-8",
    )
    credentials = load_credentials(str(key), environ={})
    assert list(credentials.scopes) == list(SCOPES)

    ran = run_sync([journey, "--credentials", str(key)])
    assert ran.status == 0, ran.err
    assert no_token.count("token") == 1
    claims = no_token.token_requests[0]
    assert claims["iss"] == "sync@p.iam.gserviceaccount.com" and claims["scope"] == SCOPES[0]


def test_the_static_token_skips_sign_in():
    credentials = load_credentials("/does/not/matter.json", environ={"ADDIN_SHEETS_TOKEN": "abc"})
    assert credentials.token == "abc" and credentials.valid


def test_credentials_error_is_status_2():
    with pytest.raises(CredentialsError) as caught:
        load_credentials(None, environ={})
    assert caught.value.exit_code == 2
