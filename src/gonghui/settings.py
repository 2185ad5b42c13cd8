"""The one settings module: everything comes from the environment.

GONGHUI_DATA_DIR (default ./var) holds the SQLite database and the keys that are
generated once on first start (secret key, audit-chain key), so that a fresh
clone runs with no configuration and no key is ever a constant in the code.
"""

import json
import os
import secrets
import stat
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

DATA_DIR = Path(env.str("GONGHUI_DATA_DIR", default="var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


# The crypto profile new keys are made for (core.crypto): intl = AES-256-GCM + HMAC-SHA256,
# gm = SM4-GCM + HMAC-SM3 (国密, for 密评). Each key version records its own profile once rotated.
CRYPTO_PROFILE = env.str("GONGHUI_CRYPTO_PROFILE", default="intl")
if CRYPTO_PROFILE not in ("intl", "gm"):
    raise ImproperlyConfigured(f"GONGHUI_CRYPTO_PROFILE 只能是 intl 或 gm，而不是 {CRYPTO_PROFILE!r}。")

# Keys outside the data directory (recommended in production): a JSON keyring readable only by the
# service user, {"format": "gonghui-keyring", "secret_key": ..., "versions": {"1": {"profile": ...,
# "field_key": ..., "lookup_key": ..., "audit_key": ...}}}. A rotation adds its versions there.
KEYS_FILE = env.str("GONGHUI_KEYS_FILE", default="")


def _read_keys_file(path: str) -> dict:
    try:
        mode = os.stat(path).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ImproperlyConfigured(
                f"密钥文件 {path} 的权限过宽（{stat.filemode(mode)}）：只能由运行服务的用户读写。请执行 chmod 600 {path}。")
        doc = json.loads(Path(path).read_text())
        first = doc["versions"]["1"]
        # A retired version 1 has no field and lookup keys left (core.rotation deletes them).
        return {"secret_key": doc["secret_key"], "audit_key": first["audit_key"],
                "field_key": first.get("field_key", ""), "lookup_key": first.get("lookup_key", "")}
    except FileNotFoundError:
        raise ImproperlyConfigured(f"找不到 GONGHUI_KEYS_FILE 指定的密钥文件 {path}。") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise ImproperlyConfigured(f"GONGHUI_KEYS_FILE 指定的 {path} 不是完整的 gonghui 密钥文件。") from None


_KEYS_FROM_FILE = _read_keys_file(KEYS_FILE) if KEYS_FILE else {}


def _key_from_env_or_file(var: str, filename: str) -> str:
    """Read a key from the environment, GONGHUI_KEYS_FILE, or a file generated once in the data dir."""
    value = env.str(var, default="")
    if value:
        return value
    if _KEYS_FROM_FILE:
        return _KEYS_FROM_FILE[filename]
    path = DATA_DIR / filename
    if not path.exists():
        # O_EXCL: two processes starting at once must not both write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
        except FileExistsError:
            pass
    return path.read_text().strip()


SECRET_KEY = _key_from_env_or_file("SECRET_KEY", "secret_key")
AUDIT_KEY = _key_from_env_or_file("GONGHUI_AUDIT_KEY", "audit_key")
# The audit chain's checkpoints, outside the database (core.audit): an append-only file (default
# DATA_DIR/audit-anchor.log) and, optionally, a second place: file:///path or syslog://host:port (UDP).
AUDIT_ANCHOR_FILE = env.str("GONGHUI_AUDIT_ANCHOR_FILE", default="")
AUDIT_ANCHOR_URL = env.str("GONGHUI_AUDIT_ANCHOR_URL", default="")
# Personal data at rest: AES-GCM for ID numbers and phones, and a separate key for the
# HMAC "blind index" that lets us look an ID number up without decrypting anything.
FIELD_KEY = _key_from_env_or_file("GONGHUI_FIELD_KEY", "field_key")
LOOKUP_KEY = _key_from_env_or_file("GONGHUI_LOOKUP_KEY", "lookup_key")

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "gonghui.core",
    "gonghui.accounts",
    "gonghui.orgs",
    "gonghui.members",
    "gonghui.bargaining",
    "gonghui.petitions",
    "gonghui.assistance",
    "gonghui.funds",
    "gonghui.mutual_aid",
    "gonghui.democracy",
    "gonghui.honours",
    "gonghui.activities",
    "gonghui.appraisal",
    "gonghui.portal",
    "gonghui.reports",
    "drf_spectacular",
    "gonghui.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gonghui.core.middleware.RequestContextMiddleware",
    "gonghui.accounts.middleware.SessionSecurityMiddleware",
    "gonghui.core.middleware.ContentSecurityPolicyMiddleware",
    "gonghui.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused login into the login page (accounts.views)
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"

FORM_RENDERER = "gonghui.core.forms.Renderer"  # aria-required on required fields

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gonghui.core.context_processors.navigation",
                "gonghui.core.guides.guide_link",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'gonghui.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Computed figures are cached, keyed on the data version (gonghui.core.figcache), so a cached
# figure is never stale. Default: per process (each gunicorn worker keeps its own). To share one
# cache between workers: GONGHUI_CACHE_URL=filecache:///var/cache/gonghui (same machine, no
# service), dbcache://gonghui_cache (after `gonghui manage createcachetable`) or
# rediscache://host:6379/1 (needs the redis package).
try:
    CACHES = {"default": env.cache_url("GONGHUI_CACHE_URL", default="locmemcache://")}
except (ImproperlyConfigured, KeyError, ValueError) as err:  # django-environ names an unknown scheme in English
    # Only the scheme is echoed: the rest of the URL may hold a password.
    raise ImproperlyConfigured(
        f"GONGHUI_CACHE_URL 的类型 {os.environ.get('GONGHUI_CACHE_URL', '').split(':', 1)[0]!r} 无法识别。可用的写法："
        "locmemcache://（默认，每个进程一份）、filecache:///var/cache/gonghui、dbcache://gonghui_cache、"
        "rediscache://host:6379/1。") from err
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 20000  # ~110 figures × 2 periods × orgs viewed

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a throttled login before any password is checked.
AUTHENTICATION_BACKENDS = ["gonghui.accounts.backends.ThrottleBackend", "gonghui.accounts.backends.AuditedModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Under gm, passwords are hashed with PBKDF2-HMAC-SM3; the others stay listed so that existing
# hashes still verify, and Django re-hashes them with the first at the next successful login.
PASSWORD_HASHERS = [
    *(["gonghui.core.crypto.PBKDF2SM3PasswordHasher"] if CRYPTO_PROFILE == "gm" else []),
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    *(["gonghui.core.crypto.PBKDF2SM3PasswordHasher"] if CRYPTO_PROFILE != "gm" else []),
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gonghui.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "gonghui.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "gonghui.accounts.validators.PasswordHistoryValidator",
     "OPTIONS": {"count": env.int("GONGHUI_PASSWORD_HISTORY", default=5)}},
]

# Login security (等保 2.0 身份鉴别): limits on failed logins (django-axes + accounts.throttle),
# idle timeout. A (username, address) pair is locked after LOGIN_MAX_FAILURES failures; an
# address slows down exponentially after LOGIN_ADDRESS_FREE_FAILURES failures; a username is
# locked everywhere but its users' known addresses after LOGIN_USERNAME_MAX_FAILURES in a day.
LOGIN_MAX_FAILURES = env.int("GONGHUI_LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("GONGHUI_LOGIN_LOCKOUT_MINUTES", default=15)
LOGIN_ADDRESS_FREE_FAILURES = env.int("GONGHUI_LOGIN_ADDRESS_FREE_FAILURES", default=10)
LOGIN_USERNAME_MAX_FAILURES = env.int("GONGHUI_LOGIN_USERNAME_MAX_FAILURES", default=50)
SESSION_IDLE_TIMEOUT_MINUTES = env.int("GONGHUI_IDLE_TIMEOUT_MINUTES", default=30)
PASSWORD_MAX_AGE_DAYS = env.int("GONGHUI_PASSWORD_MAX_AGE_DAYS", default=90)
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS reverse proxy (the production profile: DEBUG off and not a demo) cookies are
# Secure and HSTS is sent; the proxy must set X-Forwarded-Proto. Plain HTTP on a LAN needs
# GONGHUI_HTTPS=0 (browsers drop Secure cookies over http except on localhost).
HTTPS = env.bool("GONGHUI_HTTPS", default=env.bool("GONGHUI_SECURE_COOKIES",
                                                   default=not DEBUG and not env.bool("GONGHUI_DEMO_MODE", default=False)))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("GONGHUI_HSTS_SECONDS", default=365 * 24 * 3600) if HTTPS else 0
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies in front that append the client's address to X-Forwarded-For (0: use REMOTE_ADDR).
GONGHUI_PROXY_COUNT = env.int("GONGHUI_PROXY_COUNT", default=1 if HTTPS else 0)

AXES_HANDLER = "gonghui.accounts.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused try tests no password: not counted
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the per-address and per-username limits read it
AXES_CLIENT_IP_CALLABLE = "gonghui.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "gonghui.accounts.views.login_refused"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {
        # Hashed, compressed names once `collectstatic` has written its manifest (`gonghui run`
        # does); plain names before that, so tests and a bare `runserver` work without it.
        "BACKEND": env.str(
            "GONGHUI_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if (STATIC_ROOT / "staticfiles.json").exists()
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {"default": {"BACKEND": env.str("GONGHUI_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Regional rules are configuration, not code (DOMAIN §0.4). They are not read here: each work
# line declares its rules with their defaults in its conf.py, and core.config reads each one
# from the environment (GONGHUI_REQUIRED_HEADCOUNT, GONGHUI_PETITIONS_CONCLUDE_DAYS, ...) or from
# the settings (GONGHUI = {"REQUIRED_HEADCOUNT": 50}, GONGHUI_PETITIONS = {...}) when it is used;
# `gonghui check-config` lists them. GONGHUI also holds platform switches:
GONGHUI = {
    "DEMO_MODE": env.bool("GONGHUI_DEMO_MODE", default=False),
}

# The JSON API under /api/v1/ (gonghui.api, issue 24): a token acts exactly as its user. Requests per
# token (or per signed-in user) and minute, second, hour or day: GONGHUI_API_RATE=600/min.
API_RATE = env.str("GONGHUI_API_RATE", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["gonghui.api.auth.TokenAuthentication", "gonghui.api.auth.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["gonghui.api.permissions.ApiPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["gonghui.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "gonghui.api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "gonghui.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "gonghui.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "工会工作管理系统 数据接口",
    "DESCRIPTION": "版本化的 JSON 接口（/api/v1/）。令牌与其用户权限完全相同：同样的授权、范围和个人信息规则。"
                   "错误以 RFC 9457 problem+json 返回，金额为字符串，日期为 ISO 8601。",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "DISABLE_ERRORS_AND_WARNINGS": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "gonghui.api.schema.problem_responses"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # axes logs every failure with the username and address at WARNING: no personal data in logs.
    "loggers": {"axes": {"level": "ERROR"}},
}
