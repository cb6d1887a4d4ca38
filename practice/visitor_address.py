"""
The visitor's address, for the form's rate limit and the admin sign-in lockout.

Behind the TLS proxy REMOTE_ADDR is the proxy. The proxy appends the address it
saw to X-Forwarded-For, so that header is read only when the request came from a
trusted proxy, and from the right: anything to the left of the last trusted hop is
whatever the visitor chose to send, and is never believed.

The middleware puts that address in REMOTE_ADDR for the rest of the request, as
Werkzeug's ProxyFix does, so the apps read REMOTE_ADDR and never import the site
layer. Why not django-ipware: it matches trusted proxies by string prefix and by
count, where this reads networks (Docker's gateway is any address in 172.16.0.0/12).
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


def visitor_address(request):
    """The address of the visitor, as the last trusted proxy saw it."""
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


class VisitorAddressMiddleware:
    """Sets REMOTE_ADDR to the visitor's address, before anything else reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = visitor_address(request)
        return self.get_response(request)


def remote_addr(request):
    """
    For django-axes (settings.AXES_CLIENT_IP_CALLABLE): the address the middleware settled on.
    Named explicitly, so that django-ipware arriving one day as someone's dependency never makes
    axes read X-Forwarded-For itself.
    """
    return request.META.get("REMOTE_ADDR", "")
