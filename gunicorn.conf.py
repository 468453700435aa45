"""gunicorn's configuration for the portal (read from the working directory by ``gunicorn``).

One process more than there are cores, two threads each: a process runs Python on one core at a
time (the GIL), the extra process and the second thread keep the cores busy while requests wait
on PostgreSQL or Redis. Measured on the 2-core machine of docs/performance.md, alternating
configurations under the same 16-client load: 2 workers x 4 threads gave signed-in list medians
of 135, 85, 138 and 96 ms (keep-alive connections stay with the worker that accepted them, and
one of two workers could end up with most of them), 3 workers x 2 threads 83, 88, 80 and 84 ms.
Override with ``GUNICORN_WORKERS``, ``GUNICORN_THREADS``; the command line wins over this file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
