# The benchmark's plan: what is measured how often, with which load, against which targets.
from __future__ import annotations

# Every netcat-chat build runs with flood control off: the load generator's clients each send
# hundreds of lines a second, far past the default allowance (20 at once, then 2 per second), and
# what is measured is the relay path, not how the server paces a flooder.
CHAT_OPTIONS = ("--rate", "0")

# Every (load, server, clients) cell is measured RUNS times, each on a freshly started server,
# servers alternating within each round; the report shows medians.
RUNS = 3
CLIENT_COUNTS = (1, 2, 5, 10)
SERVERS = ("netcat-chat", "ncat", "relay")
CLOSED_SERVERS = ("netcat-chat", "netcat-chat-no-pause", "ncat", "relay")
WINDOW = 4
CLOSED_SECONDS = 2
# The same closed loop with clients that behave like nc: Nagle's algorithm on, delayed ACKs.
CLOSED_NC_CLIENTS = 10
OPEN_RATE = 1000
OPEN_SECONDS = 2
HISTORY_LINES = 10000
REPLAYS = 5
RSS_CLIENTS = 10
RSS_SECONDS = 2
# The load generator's lines carry 40 bytes of text; the memory figure is taken with longer ones too.
RSS_LONG_PAYLOAD = 200
# Instructions per delivery come from two fixed message counts on fresh servers: the difference
# cancels start-up and joins.
PROFILE_MESSAGES_LOW = 1000
PROFILE_MESSAGES_HIGH = 3000
PROFILE_CLIENTS = 10
PERF_SECONDS = 2

# Two cores leave no room for other work during a run. Before each run the benchmark waits for the
# machine to fall quiet, and a run during which other processes took more than this share of one
# CPU is repeated; the total wait is capped so that a busy machine still gets a (flagged) report.
QUIET_SHARE_PERCENT = 10
QUIET_PROBE_S = 0.3
QUIET_WAIT_BUDGET_PROBES = 400  # two minutes
MAX_ATTEMPTS = 2

# The targets netcat-chat must meet (10 clients, one full run).
TARGET_VS_NCAT = 1.5
TARGET_VS_RELAY = 0.9
TARGET_P50_US = 200
TARGET_P99_US = 400
TARGET_RSS_KIB = 8192
TARGET_REPLAY_MS = 100
# The client's section (scripts/client_bench.py holds its plan): a 10,000-line history must be on
# the screen within this.
TARGET_CLIENT_REPLAY_MS = 200
CLIENT_HISTORY = 10000
# The web section: deliveries per server CPU second with half of the clients on WebSocket must be
# within 15% of all on TCP, measured in the same run.
WEB_CLIENTS = 10
WEB_HALF = 5
TARGET_WEB_VS_TCP = 0.85


def closed_args() -> list:
    return ["--window", str(WINDOW), "--duration", str(CLOSED_SECONDS), "--nodelay", "--quickack"]


def closed_nc_args() -> list:
    return ["--window", str(WINDOW), "--duration", str(CLOSED_SECONDS)]


def open_args() -> list:
    return ["--rate", str(OPEN_RATE), "--duration", str(OPEN_SECONDS)]


def client_args(n: int) -> list:
    """The "1 client" row has one sender and one listener: a lone client has nobody to deliver to."""
    return ["--clients", "2", "--senders", "1"] if n == 1 else ["--clients", str(n)]


def row_label(n: int) -> str:
    return "1 (+1 listener)" if n == 1 else str(n)


def mode_of(server: str) -> str:
    """netcat-chat's builds are joined by name; ncat and the relay take raw connections."""
    return "chat" if server.startswith("netcat-chat") else "raw"
