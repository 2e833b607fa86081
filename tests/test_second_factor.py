"""The second factor of password accounts: TOTP enrolment with a QR code made here, codes at
login (single use, throttled), recovery codes, the required-for-role rule, the beheerder's
reset."""

import re
from datetime import timedelta

import pyotp
import pytest

from pia.roles import Role
from tests.conftest import (
    PASSWORD,
    audit_events,
    log_in,
    make_user,
    text_of,
    totp_code,
    user_sessions,
)


@pytest.fixture
def app_config():
    return {"MFA_REQUIRED_ROLES": "beheerder,fg"}


def password_step(client, user):
    response = client.post_form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrol(client, user) -> list[str]:
    """Set up the authenticator through the pages; return the recovery codes shown."""
    from pia.extensions import db
    from pia.models import SecondFactor

    page = client.get("/account/tweestapsverificatie/instellen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "QR-code voor PIA Rijk" in html
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    db.session.expire_all()
    assert db.session.get(SecondFactor, user.id).secret == secret.replace(" ", "")
    done = client.post_form("/account/tweestapsverificatie/instellen", {"code": totp_code(user)})
    assert done.status_code == 200, text_of(done)[:500]
    codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return codes


def test_enrolment_shows_a_qr_code_made_here_and_recovery_codes_once(client, login):
    from pia.extensions import db
    from pia.models import RecoveryCode, SecondFactor

    user = make_user(Role.PROJECTLEIDER)
    login(user)
    page = client.get("/account/tweestapsverificatie/instellen")
    html = page.get_data(as_text=True)
    # An inline SVG (no image from elsewhere); the URI names the app and the account.
    assert re.search(r"<svg[^>]*>.*</svg>", html, re.S)
    assert "<img" not in html.split("<main", 1)[1]
    factor = db.session.get(SecondFactor, user.id)
    uri = pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name="PIA Rijk")
    assert uri.startswith("otpauth://totp/PIA%20Rijk:")
    # Reloading keeps the same secret until it is confirmed.
    client.get("/account/tweestapsverificatie/instellen")
    db.session.expire_all()
    assert db.session.get(SecondFactor, user.id).secret == factor.secret

    wrong = client.post_form("/account/tweestapsverificatie/instellen", {"code": "000000"})
    assert "Deze code klopt niet" in text_of(wrong)
    db.session.expire_all()
    assert db.session.get(SecondFactor, user.id).confirmed_at is None

    codes = enrol(client, user)
    assert len(set(codes)) == 10
    stored = {r.code_hash for r in db.session.scalars(db.select(RecoveryCode)).all()}
    assert len(stored) == 10
    assert not any(code.replace("-", "") in stored for code in codes)  # only hashes
    assert audit_events("second_factor.enrolled")
    assert "staat aan" in text_of(client.get("/account/tweestapsverificatie"))
    # The codes are not shown again anywhere.
    assert codes[0] not in client.get("/account/tweestapsverificatie").get_data(as_text=True)


def test_a_login_with_a_second_factor_asks_for_the_code(app, client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    enrol(client, user)
    client.post_form("/uitloggen")

    first = password_step(client, user)
    assert first.headers["Location"] == "/inloggen/code"
    assert all(s.ended_at is not None for s in user_sessions(user))  # no session yet
    wrong = client.post_form("/inloggen/code", {"code": "123456"})
    assert wrong.status_code == 200 and "Deze code klopt niet" in text_of(wrong)
    right = client.post_form("/inloggen/code", {"code": totp_code(user)})
    assert right.status_code == 302 and right.headers["Location"] == "/"
    assert "Welkom" in text_of(client.get("/"))
    assert user_sessions(user)[-1].second_factor is True
    assert audit_events("login.second_factor")
    assert audit_events("second_factor.failed")[-1].details["reason"] == "wrong"


def test_a_code_is_accepted_only_once(app, client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    enrol(client, user)  # uses the code of one time step
    client.post_form("/uitloggen")
    import time

    now = int(time.time()) // 30
    from pia.extensions import db
    from pia.models import SecondFactor

    used = db.session.get(SecondFactor, user.id).last_step
    password_step(client, user)
    reused = client.post_form("/inloggen/code", {"code": totp_code(user, step=used)})
    assert "Deze code is al gebruikt" in text_of(reused)
    assert all(s.ended_at is not None for s in user_sessions(user))
    # A code of a step already passed (older than the last used one) is no better.
    older = client.post_form("/inloggen/code", {"code": totp_code(user, step=min(used, now) - 1)})
    assert "Deze code" in text_of(older)
    ok = client.post_form("/inloggen/code", {"code": totp_code(user)})
    assert ok.headers["Location"] == "/"


def test_recovery_codes_work_once_each(app, client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    codes = enrol(client, user)
    client.post_form("/uitloggen")

    password_step(client, user)
    used = client.post_form("/inloggen/code", {"code": codes[0].upper().replace("-", " ")})
    assert used.headers["Location"] == "/"
    assert "nog 9 over" in text_of(client.get("/"))
    client.post_form("/uitloggen")

    password_step(client, user)
    again = client.post_form("/inloggen/code", {"code": codes[0]})
    assert "Deze code klopt niet" in text_of(again)
    other = client.post_form("/inloggen/code", {"code": codes[1]})
    assert other.headers["Location"] == "/"
    # New codes replace the old ones (after a current code).
    page = client.post_form(
        "/account/tweestapsverificatie/herstelcodes", {"codes-code": totp_code(user)}
    )
    fresh = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", page.get_data(as_text=True))
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    client.post_form("/uitloggen")
    password_step(client, user)
    assert "klopt niet" in text_of(client.post_form("/inloggen/code", {"code": codes[2]}))


def test_wrong_codes_are_throttled(app, client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    enrol(client, user)
    client.post_form("/uitloggen")
    password_step(client, user)
    limit = int(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    for _ in range(limit):
        assert client.post_form("/inloggen/code", {"code": "000000"}).status_code == 200
    blocked = client.post_form("/inloggen/code", {"code": totp_code(user)})
    assert blocked.status_code == 429
    assert "te veel onjuiste codes" in text_of(blocked)
    assert client.get("/").headers["Location"].startswith("/inloggen")
    assert audit_events("second_factor.throttled")


def test_the_code_step_expires(app, client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    enrol(client, user)
    client.post_form("/uitloggen")
    password_step(client, user)
    with client.session_transaction() as cookie:
        cookie["mfa_pending"]["at"] -= 6 * 60
        cookie.modified = True
    late = client.post_form("/inloggen/code", {"code": totp_code(user)})
    assert late.headers["Location"] == "/inloggen"
    assert "de tijd voor de code is voorbij" in text_of(client.get("/inloggen"))


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.FG])
def test_a_required_role_cannot_work_without_a_second_factor(app, client, role):
    user = make_user(role)
    log_in(client, user)
    for url in ("/", "/assessments/", "/beheer/gebruikers/", "/meldingen", "/account/tokens"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/account/tweestapsverificatie/instellen", url
    assert (
        client.post_form("/account/tokens", {"name": "x"})
        .headers["Location"]
        .endswith("/instellen")
    )
    assert "tweestapsverificatie verplicht" in text_of(
        client.get("/account/tweestapsverificatie/instellen")
    )
    enrol(client, user)
    assert client.get("/").status_code == 200
    # It cannot be switched off, and the next login asks for the code.
    off = client.post_form("/account/tweestapsverificatie/uitzetten", {"off-code": totp_code(user)})
    assert off.status_code == 302
    assert "verplicht" in text_of(client.get("/account/tweestapsverificatie"))
    client.post_form("/uitloggen")
    assert password_step(client, user).headers["Location"] == "/inloggen/code"


def test_other_roles_may_use_it_or_switch_it_off(app, client, login):
    from pia.extensions import db
    from pia.models import SecondFactor

    user = make_user(Role.PROJECTLEIDER)
    login(user)
    assert client.get("/").status_code == 200  # not required
    enrol(client, user)
    off = client.post_form("/account/tweestapsverificatie/uitzetten", {"off-code": totp_code(user)})
    assert off.status_code == 302
    assert db.session.get(SecondFactor, user.id) is None
    client.post_form("/uitloggen")
    assert password_step(client, user).headers["Location"] == "/"


def test_the_rule_is_configurable_per_role(app, client):
    app.config["MFA_REQUIRED_ROLES"] = "projectleider"
    leader, fg = make_user(Role.PROJECTLEIDER), make_user(Role.FG)
    log_in(client, leader)
    assert client.get("/").headers["Location"].endswith("/instellen")
    other = app.test_client()
    log_in(other, fg)
    assert other.get("/").status_code == 200


def test_a_beheerder_resets_a_second_factor_audited_and_mailed(app, client, login):
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import OutgoingMail, RecoveryCode, SecondFactor

    fg = make_user(Role.FG)
    login(fg)
    enrol(client, fg)
    beheerder = app.test_client()
    admin = make_user(Role.BEHEERDER)
    log_in(beheerder, admin)
    enrol(beheerder, admin)
    assert "Tweestapsverificatie wissen" in text_of(beheerder.get(f"/beheer/gebruikers/{fg.id}"))
    done = beheerder.post_form(f"/beheer/gebruikers/{fg.id}/tweestapsverificatie")
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(SecondFactor, fg.id) is None
    assert not db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == fg.id)).all()
    assert all(s.ended_at is not None for s in user_sessions(fg))  # logged out everywhere
    (event,) = audit_events("second_factor.reset")
    assert event.actor_id == admin.id and event.object_id == str(fg.id)
    mail = db.session.scalars(select(OutgoingMail).where(OutgoingMail.to_address == fg.email)).all()
    assert any("tweestapsverificatie is gewist" in m.subject for m in mail)
    # The FG sets it up again at the next login.
    log_in(client, fg)
    assert client.get("/").headers["Location"].endswith("/instellen")
    # Others may not reset anyone's.
    other = app.test_client()
    log_in(other, make_user(Role.PROJECTLEIDER))
    assert other.post_form(f"/beheer/gebruikers/{admin.id}/tweestapsverificatie").status_code == 403


def test_production_refuses_to_start_without_a_second_factor_for_beheerders():
    from pia.settings_check import problems

    config = {
        "BASE_URL": "https://pia.example.nl",
        "PROXY_COUNT": 1,
        "MAIL_BACKEND": "smtp",
        "SQLALCHEMY_DATABASE_URI": "postgresql://x",
        "PASSWORD_LOGIN": True,
        "MFA_REQUIRED_ROLES": "fg",
        "OIDC_PROVIDERS": [],
    }
    refuse, _ = problems(config)
    assert any("PIA_MFA_REQUIRED_ROLES" in r for r in refuse)
    assert not problems({**config, "MFA_REQUIRED_ROLES": "beheerder,fg"})[0]
    # Without the password form, the provider's own sign-in is the only way in.
    provider = {
        "id": "rijk",
        "name": "Rijks-SSO",
        "issuer": "https://sso.example.nl/realms/rijk",
        "client_id": "pia",
        "client_secret": "geheim",
        "organisations": ["BZK"],
    }
    assert not problems({**config, "PASSWORD_LOGIN": False, "OIDC_PROVIDERS": [provider]})[0]
    refused = problems({**config, "PASSWORD_LOGIN": False})[0]
    assert any("kan niemand inloggen" in r for r in refused)
    plain_http = {**provider, "issuer": "http://sso.example.nl"}
    assert any("https" in r for r in problems({**config, "OIDC_PROVIDERS": [plain_http]})[0])


def test_the_session_rules_are_the_same_after_a_code(app, client, login):
    from pia.extensions import db

    user = make_user(Role.PROJECTLEIDER)
    login(user)
    enrol(client, user)
    client.post_form("/uitloggen")
    password_step(client, user)
    client.post_form("/inloggen/code", {"code": totp_code(user)})
    sess = user_sessions(user)[-1]
    sess.created_at -= timedelta(hours=int(app.config["ABSOLUTE_TIMEOUT_HOURS"]) + 1)
    db.session.commit()
    assert client.get("/").headers["Location"].startswith("/inloggen")
    assert user_sessions(user)[-1].end_reason == "absolute"
