"""What counts as the same commenter address, for bans.

Email: case never matters, nor quotes around the local part (`"troll"@` is `troll@`), nor how
an international domain is spelled (`xn--exmple-cua.com` is `exämple.com`). A `+tag` in the local
part is a free alias at most providers (Gmail, Outlook, iCloud, Fastmail, Proton, Yahoo uses `-`
instead but rarely), so it is dropped everywhere. Dots in the local part are ignored only at
Gmail, the one large provider that delivers `j.o.e@` to `joe@`; elsewhere `j.oe@` and `joe@` may
be different people.

IP: addresses compare in their canonical form (`2001:DB8::1` is `2001:db8::1`; an IPv4-mapped
IPv6 address is the IPv4 address), and a ban may name a range such as `203.0.113.0/24`.
"""

import contextlib
import ipaddress
import re
import unicodedata

DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
RANGE_HINT = "Enter a valid IPv4 or IPv6 address. A range is written like 203.0.113.0/24."
# A range ban wider than this would shut out a whole provider's or country's readers.
MIN_PREFIX = {4: 16, 6: 32}


def _unquoted(local: str) -> str:
    """A quoted local part as the mailbox it names: `"troll"` is `troll` (RFC 5321, 4.1.2), and
    a backslash inside the quotes stands for the character after it."""
    if len(local) >= 2 and local[0] == local[-1] == '"':
        return re.sub(r"\\(.)", r"\1", local[1:-1], flags=re.S)
    return local


def _unicode_domain(domain: str) -> str:
    """A domain with its punycode labels (`xn--…`) decoded and each label NFKC-normalised, as
    IDNA maps it: `xn--exmple-cua.com`, `EXÄMPLE.com` and `exämple.com` are one domain."""
    labels = []
    for label in domain.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label[4:].encode("ascii").decode("punycode")
        labels.append(unicodedata.normalize("NFKC", label).lower())
    return ".".join(labels)


def _ascii_domain(domain: str) -> str:
    """The same domain with its non-ASCII labels in punycode, as mail headers carry it."""
    return ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        for label in domain.split(".")
    )


def email_key(email: str) -> str:
    """The form two addresses share when they reach the same mailbox: `Jo.E+x@GMail.com` →
    `joe@gmail.com`, `"troll"@xn--exmple-cua.com` → `troll@exämple.com`."""
    local, _, domain = email.strip().rpartition("@")
    if not local:
        return email.strip().casefold()
    local = _unquoted(local).casefold().split("+", 1)[0]
    domain = _unicode_domain(domain)
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


def email_domains(email: str) -> list[str]:
    """Every spelling of the address's domain that `email_key` treats as one (punycode or not;
    Gmail's two names), for finding bans and comments by domain in the database."""
    written = email.strip().rpartition("@")[2].lower()
    domain = _unicode_domain(written)
    spellings = {written, domain, _ascii_domain(domain)}
    canonical = DOTLESS_DOMAINS.get(domain)
    if canonical:
        spellings |= {name for name, same in DOTLESS_DOMAINS.items() if same == canonical}
    return sorted(spellings)


def canonical_ip(value: str) -> str | None:
    """`2001:DB8:0::1` → `2001:db8::1`; `::ffff:192.0.2.1` → `192.0.2.1`; None if not an address."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.compressed


def canonical_network(value: str) -> str:
    """A ban's IP value in canonical form: one address, or a range as `network/prefix`.

    Raises ValueError with a message for moderators when it is neither, or too wide.
    """
    value = value.strip()
    if "/" not in value:
        address = canonical_ip(value)
        if address is None:
            raise ValueError(RANGE_HINT)
        return address
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(RANGE_HINT) from None
    if network.prefixlen < MIN_PREFIX[network.version]:
        raise ValueError(
            f"This range is too wide: use at most /{MIN_PREFIX[network.version]} "
            f"for IPv{network.version}, so other readers are not shut out."
        )
    if network.num_addresses == 1:
        return network.network_address.compressed
    return network.with_prefixlen


def in_network(address: str | None, value: str) -> bool:
    """Whether `address` is the banned address or inside the banned range `value`."""
    canonical = canonical_ip(address or "")
    if canonical is None:
        return False
    if "/" not in value:
        return canonical == value
    return ipaddress.ip_address(canonical) in ipaddress.ip_network(value)
