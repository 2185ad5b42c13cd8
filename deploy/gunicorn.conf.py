"""gunicorn settings for production, shared by the systemd unit and the container
(`gunicorn -c deploy/gunicorn.conf.py gonghui.wsgi`). The same choices as `gonghui run`.

GONGHUI_BIND     where to listen (default 127.0.0.1:8000: only the reverse proxy on this
                 machine reaches it; the container sets 0.0.0.0:8000 on its private network)
GONGHUI_WORKERS  processes (default: 2 × cores + 1, at most 8)
GONGHUI_THREADS  threads per process (default 4)
"""

import multiprocessing
import os

bind = os.environ.get("GONGHUI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GONGHUI_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GONGHUI_THREADS", 4))
worker_class = "gthread"
timeout = 120  # an Excel export or a work summary may take a while; big imports run as jobs
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
accesslog = "-"
# Path only (%(U)s, never %(r)s or %(q)s): query strings carry search terms (names, ID numbers)
# that must not reach the logs. The client address is the proxy's X-Forwarded-For.
access_log_format = '%({x-forwarded-for}i)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = "127.0.0.1,::1"
