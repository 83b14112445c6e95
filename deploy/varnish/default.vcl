# Varnish 7 in front of Newsroom's gunicorn (Debian: apt-get install varnish varnish-modules).
#
# Caches what the app marks public (anonymous reader pages: Cache-Control s-maxage), passes the
# back office, previews, every POST and signed-in staff. The app tags each page with the things
# it shows (`xkey: story-12 section-3 home ...`) and, when one changes, sends
# `PURGE /` with `xkey-purge: <keys>` here, which drops exactly the pages showing it.
#
# Run it on loopback only, behind the TLS proxy (nginx), with a second listener for purges that
# the proxy never forwards to, and the purge secret the app servers share in its environment:
#
#   NEWSROOM_PURGE_SECRET=<long random> \
#   varnishd -a 127.0.0.1:6081 -a purge=127.0.0.1:6083 -f /etc/varnish/default.vcl ...
#
# and on the app servers NEWSROOM_PURGE_URLS=http://127.0.0.1:6083/ with the same
# NEWSROOM_PURGE_SECRET (docs/deploy.md, "Varnish and the TLS proxy").
vcl 4.1;

import header;
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

# The TLS proxy in front: what it says of the reader's request (X-Forwarded-For, -Proto, -Host,
# -Port) is believed; from anyone else, those headers are the client's own invention.
acl trusted_proxies {
    "127.0.0.1";
    "::1";
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        call newsroom_purge;
    }
    call newsroom_forwarded;
    # Host names are case-insensitive: one spelling, for the copy's address and the app's links.
    if (req.http.Host) {
        set req.http.Host = std.tolower(req.http.Host);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The back office, staff previews, and a reader's own page to edit the comment they just
    # sent (found by a cookie scoped to /comments/edit/).
    if (req.url ~ "^/(admin|preview|comments/edit)/") {
        return (pass);
    }
    # Signed-in staff: always their own fresh page.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Reader pages need no cookie: without one, every reader shares the same copy.
    unset req.http.Cookie;
    call newsroom_query;
    # While the app is healthy, a page past its lifetime is fetched again at once; while it is
    # down, the last copy is served for up to a day (see beresp.grace).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

# A purge is refused unless it comes the way only an app server's does. The TLS proxy relays
# any method, PURGE included, from loopback, so neither the address nor the method is enough:
# - on the purge listener (-a purge=...), which the proxy is never pointed at;
# - from an address in `purgers`;
# - with no X-Forwarded-For of its own: Varnish has added the sender's address to the header
#   before this runs, so anything more than that address was brought by a proxy on the way;
# - with the secret the app servers share (NEWSROOM_PURGE_SECRET in varnishd's environment and
#   theirs). Unset, no purge is accepted at all.
sub newsroom_purge {
    if (local.socket != "purge"
        || client.ip !~ purgers
        || req.http.X-Forwarded-For != "" + client.ip
        || std.getenv("NEWSROOM_PURGE_SECRET") == ""
        || req.http.Purge-Secret != std.getenv("NEWSROOM_PURGE_SECRET")) {
        return (synth(403, "Forbidden"));
    }
    if (req.http.xkey-purge) {
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    return (purge);
}

# The app counts readers (comment limits, bans, the login throttle) by X-Forwarded-For and builds
# absolute links from X-Forwarded-Proto/-Host/-Port: only the trusted proxy may set them.
sub newsroom_forwarded {
    if (client.ip !~ trusted_proxies) {
        # Straight from a client: it is the reader (replacing, not appending to, any
        # X-Forwarded-For it sent), and it spoke plain HTTP to this address.
        set req.http.X-Forwarded-For = client.ip;
        unset req.http.X-Forwarded-Proto;
        unset req.http.X-Forwarded-Host;
        unset req.http.X-Forwarded-Port;
    }
    # No other forwarding header means anything to the app, whoever sent it: dropped, so that
    # none of a client's choosing reaches the app's own copies of pages. (VCL cannot unset
    # headers by pattern: they are renamed to one name, then unset.)
    header.regsub(req, "^(?i)X-Forwarded-(?!(?:For|Proto|Host|Port):)[^:]*:", "X-Newsroom-Drop:");
    unset req.http.X-Newsroom-Drop;
    unset req.http.Forwarded;
}

# One copy per page, not per link it was shared with: parameters that only tell analytics where
# a reader came from are dropped (the app never reads them), and the rest sorted.
sub newsroom_query {
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?i)(?<=[?&])(?:utm_[^=&]*|fbclid|gclid|gbraid|wbraid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|yclid|twclid|ttclid|li_fat_id|ref_src|_hsenc|_hsmi|mkt_tok)(?:=[^&]*)?(?:&|$)", "");
        set req.url = std.querysort(regsub(req.url, "[?&]+$", ""));
    }
}

# A copy's address: the path and query, the host, and the scheme, host and port the reader used
# (pages carry absolute links: canonical, feeds, sitemaps), as the TLS proxy said them (above).
# Nothing else a client sends selects a copy: the app varies only on Cookie (removed above for
# reader pages) and Accept-Encoding (which Varnish itself reduces to gzip or nothing).
sub vcl_hash {
    hash_data(req.url);
    if (req.http.Host) {
        hash_data(req.http.Host);
    } else {
        hash_data(server.ip);
    }
    hash_data("proto:" + req.http.X-Forwarded-Proto);
    hash_data("host:" + req.http.X-Forwarded-Host);
    hash_data("port:" + req.http.X-Forwarded-Port);
    return (lookup);
}

sub vcl_backend_response {
    # Keep copies past their lifetime, to serve while the app or its database is away.
    set beresp.grace = 24h;
    # A failed background refresh keeps the copy we have rather than replacing it.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # A redirect to this very address in the other scheme (the app's http -> https) is an answer
    # for one scheme only: never kept, whatever the app said, so that it can never be served to
    # a reader already on the target (a redirect to itself, for ever).
    if (beresp.status >= 300 && beresp.status < 400
        && beresp.http.Location ~ "^(?i)https?://"
        && regsub(beresp.http.Location, "^(?i)https?://", "") == bereq.http.Host + bereq.url) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # A page not found may be a story about to be published: kept 10 s at most (the app asks
    # for as much and tags it `missing`, which publishing purges), and never served stale once
    # it is due again.
    if (beresp.status == 404) {
        if (beresp.ttl > 10s) {
            set beresp.ttl = 10s;
        }
        set beresp.grace = 0s;
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The surrogate keys are for this cache, not for readers; nor are the version of Varnish
    # (Via) and its transaction ids (X-Varnish).
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

# Varnish's own answers (a refused purge, say): the same.
sub vcl_synth {
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
