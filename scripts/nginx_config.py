#!/usr/bin/env python3
"""Write a runnable nginx configuration for N shop processes from deploy/nginx/.

    python scripts/nginx_config.py --out instance/nginx --listen 127.0.0.1:8080 \\
        --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002
    nginx -p instance/nginx -e instance/nginx/error.log -c nginx.conf -g 'daemon off;'

The folder gets ``nginx.conf`` (pid file, logs and temporary files all inside the folder,
so nginx runs as any user), ``shop.conf`` (deploy/nginx/shop.conf.template filled in) and
``upstreams.conf`` (one ``server`` line per shop process). The Procfile runs it this way;
the ``scale`` profile of docker-compose.yml uses the template with the official image.
Only the standard library is needed; ``main(argv)`` returns the exit code.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx" / "shop.conf.template"
STATIC_ROOT = ROOT / "static"
MIME_TYPES = Path("/etc/nginx/mime.types")
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def site_config(listen, static_root, upstreams_file):
    """The template with its placeholders filled (nginx's own ``$variables`` kept)."""
    text = Template(TEMPLATE.read_text()).safe_substitute(
        SHOP_NGINX_LISTEN=listen, SHOP_STATIC_ROOT=str(static_root),
        SHOP_UPSTREAMS_FILE=str(upstreams_file))
    assert "${SHOP_" not in text, "deploy/nginx/shop.conf.template has an unknown placeholder"
    return text


def upstream_lines(addresses):
    """One ``server`` line per process; a process that fails once is left out for 5 s."""
    return "".join(f"server {address} max_fails=1 fail_timeout=5s;\n" for address in addresses)


def main_config(prefix, mime_types=MIME_TYPES, workers="auto"):
    """nginx.conf keeping every file nginx writes under ``prefix``."""
    temp_paths = "".join(f"    {kind}_temp_path {prefix / 'temp' / kind};\n"
                         for kind in TEMP_KINDS)
    # As root, nginx's workers would switch to `nobody`, who cannot read a private folder.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes {workers};\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events {\n    worker_connections 4096;\n}\n"
        "http {\n"
        f"    include {mime_types};\n"
        "    default_type application/octet-stream;\n"
        f"    access_log {prefix / 'access.log'};\n"
        "    sendfile on;\n"
        f"{temp_paths}"
        f"    include {prefix / 'shop.conf'};\n"
        "}\n"
    )


def write_config(out, listen, upstreams, static_root=STATIC_ROOT, mime_types=MIME_TYPES,
                 workers="auto"):
    """Write the three files into ``out`` (made if missing); return nginx.conf's path."""
    out = Path(out).resolve()
    for kind in TEMP_KINDS:
        (out / "temp" / kind).mkdir(parents=True, exist_ok=True)
    (out / "upstreams.conf").write_text(upstream_lines(upstreams))
    (out / "shop.conf").write_text(
        site_config(listen, Path(static_root).resolve(), out / "upstreams.conf"))
    main = out / "nginx.conf"
    main.write_text(main_config(out, mime_types, workers))
    return main


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to write nginx.conf and its parts")
    parser.add_argument("--listen", default="127.0.0.1:8080",
                        help="nginx's address (default: 127.0.0.1:8080)")
    parser.add_argument("--upstream", action="append", required=True, metavar="HOST:PORT",
                        help="a shop process; repeat for each")
    parser.add_argument("--static-root", default=str(STATIC_ROOT),
                        help="the storefront folder (default: the repository's static/)")
    parser.add_argument("--mime-types", default=str(MIME_TYPES),
                        help="nginx's mime.types (default: /etc/nginx/mime.types)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    path = write_config(args.out, args.listen, args.upstream, args.static_root, args.mime_types)
    print(f"nginx -p {path.parent} -e {path.parent / 'error.log'} -c {path.name} "
          "-g 'daemon off;'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
