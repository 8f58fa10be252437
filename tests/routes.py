"""Every URL pattern of the product, as route strings, for the permission matrix and the coverage check."""

from django.urls import URLPattern, URLResolver, get_resolver


def all_routes(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    routes: set[str] = set()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes |= all_routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            routes.add(pattern)
    return routes
