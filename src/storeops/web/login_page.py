"""The sign-in page: plain server-rendered HTML (no JavaScript), bilingual, with its CSRF field."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from storeops.standard.catalog import load_catalog
from storeops.web.csrf import CSRF_FIELD
from storeops.web.labels import HTML_LANG, LANGUAGE_NAMES, pick, translator

#: The login page loads nothing from anywhere, runs no script and posts only to itself.
LOGIN_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}

_STYLE = """
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;font:14px/1.5 "Inter","Noto Sans CJK SC","Noto Sans SC",
"PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#0f172a;background:#eef2f6}
.brand{flex:0 0 42%;background:linear-gradient(160deg,#0f2740 0%,#123a5e 60%,#0f4c81 100%);color:#e2e8f0;
padding:48px 56px;display:flex;flex-direction:column;justify-content:space-between}
.brand h1{margin:0;font-size:26px;color:#fff;letter-spacing:-.01em}
.brand .tag{margin-top:6px;color:#93c5fd;font-size:13px}
.brand .std{margin-top:40px;font-size:15px;color:#f8fafc}
.brand .std small{display:block;color:#94a3b8;font-size:12px;margin-top:2px}
.facts{display:flex;gap:28px;margin-top:28px}
.facts b{display:block;font-size:24px;color:#fff}
.facts span{font-size:12px;color:#94a3b8}
.brand footer{font-size:12px;color:#64748b}
main{flex:1;display:flex;align-items:center;justify-content:center;padding:32px;position:relative}
.langs{position:absolute;top:20px;right:28px;font-size:13px}
.langs a{color:#0f4c81;text-decoration:none;margin-left:12px}
.langs a[aria-current]{color:#0f172a;font-weight:600}
form{width:100%;max-width:360px;background:#fff;border:1px solid #dbe3ec;border-radius:8px;padding:28px 28px 24px;
box-shadow:0 1px 2px rgba(15,23,42,.06)}
form h2{margin:0 0 4px;font-size:18px}
form p.sub{margin:0 0 20px;color:#64748b;font-size:13px}
label{display:block;font-size:12px;font-weight:600;color:#334155;margin:14px 0 4px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:8px 10px;border:1px solid #cbd5e1;border-radius:6px;
font:inherit;background:#fff}
input:focus{outline:2px solid #93c5fd;border-color:#0f4c81}
button{margin-top:20px;width:100%;padding:9px;border:0;border-radius:6px;background:#0f4c81;color:#fff;
font:inherit;font-weight:600;cursor:pointer}
button:hover{background:#0c3d68}
.error{margin:0 0 12px;padding:8px 10px;border-radius:6px;background:#fef2f2;border:1px solid #fecaca;
color:#991b1b;font-size:13px}
@media (max-width:820px){body{flex-direction:column}.brand{flex:none;padding:24px}.facts,.brand footer{display:none}}
"""


def render_login_page(
    *,
    locale: str,
    csrf_token: str,
    email: str = "",
    next_path: str = "/",
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The sign-in page in ``locale``; ``error`` (already translated) above the form."""
    _ = translator(locale)
    query = {"next": next_path} if next_path != "/" else {}
    languages = "".join(
        f'<a href="/login?{escape(urlencode({**query, "lang": code}))}"'
        + (' aria-current="true"' if code == locale else "")
        + f">{escape(name)}</a>"
        for code, name in LANGUAGE_NAMES.items()
    )
    standard = load_catalog()
    # Translated first: Babel's extractor does not look inside f-strings.
    sign_in = escape(_("Sign in"))
    tagline = escape(_("Operations system for cross-border e-commerce stores"))
    built_on = escape(_("the group standard storeops is built on"))
    stages_word = escape(_("operation stages"))
    tasks_word = escape(_("tasks"))
    steps_word = escape(_("workflow steps"))
    licence = escape(_("Open-source software under the Apache-2.0 licence."))
    language = escape(_("Language"))
    intro = escape(_("Sign in to the storeops console with your work e-mail."))
    email_label = escape(_("E-mail"))
    password_label = escape(_("Password"))
    code_label = escape(_("Authentication code (only if your account has a second factor)"))
    alert = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    page = f"""<!doctype html>
<html lang="{HTML_LANG[locale]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{sign_in} · storeops</title>
<style>{_STYLE}</style>
</head>
<body>
<section class="brand">
  <div>
    <h1>storeops</h1>
    <div class="tag">{tagline}</div>
    <div class="std">{escape(pick(locale, standard.title_zh, standard.title_en))}
      <small>{escape(standard.standard)} · {built_on}</small>
    </div>
    <div class="facts">
      <div><b>{len(standard.stages)}</b><span>{stages_word}</span></div>
      <div><b>{len(standard.tasks)}</b><span>{tasks_word}</span></div>
      <div><b>{len(standard.steps)}</b><span>{steps_word}</span></div>
    </div>
  </div>
  <footer>{licence}</footer>
</section>
<main>
  <nav class="langs" aria-label="{language}">{languages}</nav>
  <form method="post" action="/login" autocomplete="on">
    <h2>{sign_in}</h2>
    <p class="sub">{intro}</p>
    {alert}
    <input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token)}">
    <input type="hidden" name="next" value="{escape(next_path)}">
    <label for="email">{email_label}</label>
    <input id="email" name="email" type="email" required autofocus autocomplete="username"
      maxlength="254" value="{escape(email)}">
    <label for="password">{password_label}</label>
    <input id="password" name="password" type="password" required autocomplete="current-password"
      maxlength="1024">
    <label for="totp">{code_label}</label>
    <input id="totp" name="totp" type="text" inputmode="numeric" autocomplete="one-time-code"
      pattern="[0-9 ]{{6,8}}" maxlength="8">
    <button type="submit">{sign_in}</button>
  </form>
</main>
</body>
</html>
"""
    return HTMLResponse(page, status_code=status_code, headers=LOGIN_PAGE_HEADERS)
