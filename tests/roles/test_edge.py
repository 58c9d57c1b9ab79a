"""The edge configuration, as text: TLS 1.3 only, HSTS, headers, names."""

from __future__ import annotations

from roles.edge import ca_permitted_names, certificate_extensions, nginx_site
from roles.lib.settings import parse


def test_nginx_offers_tls13_only_with_hsts_and_headers() -> None:
    site = nginx_site(parse({"domain": "bia.example.org"}))
    assert "ssl_protocols TLSv1.3;" in site
    assert "TLSv1.2" not in site
    assert 'Strict-Transport-Security "max-age=63072000; includeSubDomains" always' in site
    assert "frame-ancestors 'none'" in site
    assert 'Referrer-Policy "no-referrer"' in site
    assert 'X-Content-Type-Options "nosniff"' in site
    # Port 80 redirects to the configured name, never to a client-chosen Host header.
    assert "return 308 https://bia.example.org$request_uri;" in site
    assert "proxy_pass http://127.0.0.1:8000;" in site


def test_certificate_and_ca_cover_exactly_the_appliance_names() -> None:
    s = parse({"domain": "bia.example.org", "extra_addresses": ["192.0.2.7"]})
    assert "subjectAltName = DNS:bia.example.org,IP:192.0.2.7" in certificate_extensions(s)
    assert ca_permitted_names(s) == ["DNS:bia.example.org", "IP:192.0.2.7/255.255.255.255"]
