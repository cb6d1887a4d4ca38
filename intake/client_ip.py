"""
The visitor's address, for the form's rate limit and the admin sign-in lockout.

Behind the TLS proxy REMOTE_ADDR is the proxy. The proxy appends the address it
saw to X-Forwarded-For, so that header is read only when the request came from a
trusted proxy, and from the right: anything to the left of the last trusted hop is
whatever the visitor chose to send, and is never believed.
"""

from functools import cache
from ipaddress import ip_address, ip_network

from django.conf import settings


def trusted(address, networks):
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


@cache
def parsed_networks(entries):
    return [ip_network(entry, strict=False) for entry in entries if entry != "*"]


def trusted_networks():
    # Parsed once per distinct setting, not on every request.
    return parsed_networks(tuple(settings.TRUSTED_PROXY_IPS))


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    trust_any = "*" in settings.TRUSTED_PROXY_IPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not (trust_any or trusted(remote, networks)):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    for hop in reversed(hops):
        try:
            address = str(ip_address(hop))
        except ValueError:
            return remote
        if not trusted(address, networks):
            return address
    return remote
