"""gunicorn's configuration for the portal (read from the working directory by ``gunicorn``).

One process per core (the GIL lets a process use one), each with a few threads so that a request
waiting on PostgreSQL or Redis does not leave its core idle: the layout `make bench` measures
(docs/performance.md). Override with ``GUNICORN_WORKERS``, ``GUNICORN_THREADS``; the command
line wins over this file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
