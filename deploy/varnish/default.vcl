# Varnish 7 in front of Newsroom's gunicorn (Debian: apt-get install varnish varnish-modules).
#
# Caches what the app marks public (anonymous reader pages: Cache-Control s-maxage), passes the
# back office, previews, every POST and signed-in staff. The app tags each page with the things
# it shows (`xkey: story-12 section-3 home ...`) and, when one changes, sends
# `PURGE /` with `xkey-purge: <keys>` here (NEWSROOM_PURGE_URLS=http://127.0.0.1:6081/), which
# drops exactly the pages showing it.
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = {
        # /healthz answers 503 while the database is away: Varnish then serves what it has.
        .url = "/healthz";
        .interval = 5s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview)/") {
        return (pass);
    }
    # Signed-in staff: always their own fresh page.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Reader pages need no cookie: without one, every reader shares the same copy.
    unset req.http.Cookie;
    # While the app is healthy, a page past its lifetime is fetched again at once; while it is
    # down, the last copy is served for up to a day (see beresp.grace).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Keep copies past their lifetime, to serve while the app or its database is away.
    set beresp.grace = 24h;
    # A failed background refresh keeps the copy we have rather than replacing it.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The surrogate keys are for this cache, not for readers.
    unset resp.http.xkey;
}
