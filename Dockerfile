# The shop: waitress serving the Flask app on port 8000.
#   docker build -t shop .
#   docker run -p 8000:8000 -v shop-instance:/app/instance shop
FROM python:3.11-slim

# SHOP_INSTANCE_PATH: the SQLite file and the generated signing keys live in the volume
# declared below. SHOP_STATIC_FOLDER: the storefront is not part of the installed package,
# it is copied to /app/static.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SHOP_INSTANCE_PATH=/app/instance \
    SHOP_STATIC_FOLDER=/app/static \
    SHOP_HOST=0.0.0.0 \
    SHOP_PORT=8000

WORKDIR /app

# A fixed, unprivileged user; /app/instance is created owned by it so the named volume
# (initialised from the image on first use) is writable.
RUN groupadd --system --gid 10001 shop \
    && useradd --system --uid 10001 --gid shop --home-dir /app --shell /usr/sbin/nologin shop

# The locked, hash-checked dependencies (requirements/run.txt: the app, the PostgreSQL
# driver and what scripts/ needs), then the package itself (not editable, no further
# dependencies) from a throwaway copy of the source, so only site-packages and the
# storefront stay in the image.
COPY requirements/run.txt /tmp/src/requirements/run.txt
RUN pip install --require-hashes -r /tmp/src/requirements/run.txt
COPY pyproject.toml setup.cfg README.md /tmp/src/
COPY shopapp /tmp/src/shopapp
RUN pip install --no-deps "/tmp/src[postgres]" && rm -rf /tmp/src

COPY static /app/static
RUN mkdir -p /app/instance && chown shop:shop /app/instance

USER shop
VOLUME ["/app/instance"]
EXPOSE 8000

# No curl in slim images: python's urllib does the probe (non-2xx raises, exit 1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('SHOP_PORT', '8000') + '/healthz', timeout=4)"]

# `shop serve` applies migrations, seeds the catalog and admin (idempotent), then serves.
CMD ["shop", "serve"]
