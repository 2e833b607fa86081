"""Default configuration; every key can be overridden with a PIA_ environment variable.

``PIA_SECRET_KEY=...`` sets ``SECRET_KEY``; values are parsed as JSON where
possible (``PIA_IDLE_TIMEOUT_MINUTES=15``). ``DATABASE_URL`` is honoured too.
"""

DEFAULTS: dict[str, object] = {
    # "production" (default) or "development". Production refuses to start
    # without a real secret key.
    "ENV": "production",
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # default: sqlite:///<instance>/pia.sqlite3
    "IDLE_TIMEOUT_MINUTES": 30,
    "ABSOLUTE_TIMEOUT_HOURS": 12,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_WINDOW_MINUTES": 15,
    # Over all addresses together, an account is throttled only after many more failures
    # (a distributed guesser); one address cannot lock an account out for everyone.
    "LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL": 50,
    "LOGIN_ACCOUNT_WINDOW_MINUTES": 60,
    # How long a one-time link to choose a password (new account, reset) works.
    "PASSWORD_LINK_HOURS": 24,
    # Argon2id cost; the defaults follow argon2-cffi's RFC 9106 low-memory profile.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 65536,
    "ARGON2_PARALLELISM": 4,
    # Number of reverse proxies in front of the app (sets X-Forwarded-* trust).
    "PROXY_COUNT": 0,
    # Contact address shown in security.txt and the statements.
    "SECURITY_CONTACT": "mailto:security@example.invalid",
    "PRIVACY_CONTACT": "privacy@example.invalid",
    "LOG_LEVEL": "INFO",
    # Review procedure: the FG's response term, when to warn before it, and the default
    # re-assessment interval of an adopted DPIA.
    "FG_RESPONSE_WEEKS": 4,
    # PAR: the FGs' response term (the approving bodies are data: /beheer/overleggen).
    "PAR_RESPONSE_WEEKS": 4,
    "DEADLINE_WARNING_DAYS": 5,
    "REASSESSMENT_MONTHS": 24,
    # Remarks on one assessment within this many minutes become one notice (and one mail).
    "NOTIFICATION_BUNDLE_MINUTES": 60,
    # Outgoing mail. MAIL_BACKEND: "smtp", "folder" (writes .eml files to MAIL_FOLDER,
    # default <instance>/mail), "log" (logs that a message went out: metadata, never the
    # text) or "none". Unset: "folder" in development, "none" in production (set "smtp").
    "MAIL_BACKEND": None,
    "MAIL_FROM": "pia@example.invalid",
    "MAIL_FOLDER": None,
    "MAIL_MAX_ATTEMPTS": 5,
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "SMTP_SSL": False,
    "SMTP_TIMEOUT": 10,
    # The address users reach the app on, for links in e-mail. Production needs https.
    "BASE_URL": "http://127.0.0.1:5000",
    # Sign-in. PASSWORD_LOGIN: the e-mail and password form on the login page (false: only
    # the OpenID providers). OIDC_PROVIDERS: a JSON list, one object per provider, see the
    # README ("Single sign-on"). MFA_REQUIRED_ROLES: the roles whose password accounts
    # cannot work without a second factor (TOTP); comma-separated, "" for none.
    "PASSWORD_LOGIN": True,
    "OIDC_PROVIDERS": [],
    "OIDC_REQUEST_MINUTES": 10,
    "OIDC_TIMEOUT_SECONDS": 10,
    "MFA_REQUIRED_ROLES": "beheerder,fg",
    # How long the second step of a password login (the code) may take.
    "MFA_PENDING_MINUTES": 5,
    # Production refuses to start with unsafe or contradictory settings (pia.settings_check);
    # this lets an operator start anyway, e.g. for a one-off maintenance command.
    "ALLOW_UNSAFE_SETTINGS": False,
}

FLASK_SETTINGS: dict[str, object] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_NAME": "pia_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # False means: Secure is still set whenever the request came over https.
    "SESSION_COOKIE_SECURE": False,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    # Without Flask-Babel, Flask-WTF's i18n falls back to English; disabled, WTForms uses
    # its own Dutch catalogue (BaseForm.Meta.locales).
    "WTF_I18N_ENABLED": False,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # A section form with a full table (500 rows of about a dozen columns, each row with
    # its id and choices) is 5,000-10,000 parts; Werkzeug's default of 1,000 stopped the
    # autosave of a 125-row table. One answer may be 100,000 characters (up to 400 kB).
    "MAX_FORM_PARTS": 50_000,
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    "TEMPLATES_AUTO_RELOAD": False,
}

# Values that must never be used as a production secret key.
WEAK_SECRETS = {"", "dev", "changeme", "secret", "development", "test"}
