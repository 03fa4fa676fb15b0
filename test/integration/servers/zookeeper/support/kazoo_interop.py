"""Drives a ZooKeeper server with kazoo (unmodified, Debian python3-kazoo) and its recipes.

Usage: kazoo_interop.py host:port
Prints one JSON object: {"<check>": <observed value>, ...}. The vitest side asserts on it.
"""
import json
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, NoAuthError, NodeExistsError, NotEmptyError
from kazoo.protocol.states import EventType
from kazoo.recipe.barrier import Barrier, DoubleBarrier
from kazoo.recipe.cache import TreeCache, TreeEvent
from kazoo.recipe.counter import Counter
from kazoo.recipe.election import Election
from kazoo.recipe.lock import Lock, Semaphore
from kazoo.recipe.party import Party
from kazoo.recipe.queue import LockingQueue, Queue
from kazoo.security import make_digest_acl

hosts = sys.argv[1]
out = {}


def client(**kw):
    c = KazooClient(hosts=hosts, timeout=10, **kw)
    c.start(timeout=15)
    return c


zk = client()
out["server_version"] = list(zk.server_version())

# CRUD, versions, ephemerals, sequence nodes
zk.create("/k/crud", b"v1", makepath=True)
data, stat = zk.get("/k/crud")
out["get"] = [data.decode(), stat.version]
zk.set("/k/crud", b"v2", version=0)
try:
    zk.set("/k/crud", b"v3", version=0)
    out["bad_version"] = "no error"
except BadVersionError:
    out["bad_version"] = "BadVersionError"
try:
    zk.create("/k/crud", b"")
    out["node_exists"] = "no error"
except NodeExistsError:
    out["node_exists"] = "NodeExistsError"
try:
    zk.delete("/k")
    out["not_empty"] = "no error"
except NotEmptyError:
    out["not_empty"] = "NotEmptyError"
seq = [zk.create("/k/seq-", b"", sequence=True) for _ in range(3)]
out["sequence"] = seq
eph = zk.create("/k/eph", b"", ephemeral=True)
out["ephemeral_owner_is_session"] = zk.exists(eph).ephemeralOwner == zk.client_id[0]
out["create2_stat"] = zk.create("/k/c2", b"abc", include_data=True)[1].dataLength

# watches: data watch fires once, before the changed data is visible to the watcher
events = []
got = threading.Event()


def on_change(event):
    events.append([event.type, event.path])
    got.set()


zk.get("/k/crud", watch=on_change)
other = client()
other.set("/k/crud", b"changed")
got.wait(10)
out["data_watch"] = events

# children watch through kazoo's ChildrenWatch helper
children_seen = []
cw_done = threading.Event()


zk.ensure_path("/k/members")


@zk.ChildrenWatch("/k/members")
def members(children):
    children_seen.append(sorted(children))
    if len(children) == 2:
        cw_done.set()


other.create("/k/members/a", b"", ephemeral=True)
other.create("/k/members/b", b"", ephemeral=True)
cw_done.wait(10)
out["children_watch_last"] = children_seen[-1] if children_seen else None

# transactions
t = zk.transaction()
t.create("/k/tx", b"")
t.create("/k/tx/a", b"")
t.check("/k/crud", 2)
out["txn_ok"] = [type(r).__name__ if isinstance(r, Exception) else r for r in t.commit()]
t = zk.transaction()
t.create("/k/tx/b", b"")
t.delete("/k/nope")
out["txn_fail"] = [type(r).__name__ for r in t.commit()]
out["txn_fail_applied_nothing"] = zk.exists("/k/tx/b") is None

# digest ACLs and auth
acl = make_digest_acl("kazoo", "pw", all=True)
zk.create("/k/secret", b"s", acl=[acl])
try:
    zk.get("/k/secret")
    out["noauth"] = "no error"
except NoAuthError:
    out["noauth"] = "NoAuthError"
authed = client(auth_data=[("digest", "kazoo:pw")])
out["authed_get"] = authed.get("/k/secret")[0].decode()
authed.stop()

# recipes ---------------------------------------------------------------------
# Lock: two contenders, strictly one at a time
lock_log = []


def contender(name):
    c = client()
    lock = Lock(c, "/k/lock", name)
    for _ in range(3):
        with lock:
            lock_log.append(("in", name))
            time.sleep(0.02)
            lock_log.append(("out", name))
    c.stop()


threads = [threading.Thread(target=contender, args=(n,)) for n in ("a", "b")]
for th in threads:
    th.start()
for th in threads:
    th.join(60)
overlap = any(lock_log[i][0] == "in" and lock_log[i + 1][0] == "in" for i in range(len(lock_log) - 1))
out["lock"] = {"entries": len(lock_log) // 2, "overlap": overlap}

# Semaphore with 2 leases
sem = Semaphore(zk, "/k/sem", "me", max_leases=2)
out["semaphore"] = sem.acquire(timeout=5) and len(sem.lease_holders()) == 1
sem.release()

# Election: first contender wins; when it leaves, the next one takes over
winners = []
elected = threading.Event()


def run_election(name, c, stop):
    election = Election(c, "/k/election", name)

    def lead():
        winners.append(name)
        elected.set()
        stop.wait(10)

    election.run(lead)


stop_a = threading.Event()
ca = client()
ta = threading.Thread(target=run_election, args=("a", ca, stop_a))
ta.start()
elected.wait(10)
elected.clear()
cb = client()
stop_b = threading.Event()
tb = threading.Thread(target=run_election, args=("b", cb, stop_b))
tb.start()
time.sleep(0.3)
out["election_contenders"] = sorted(Election(zk, "/k/election").contenders())
stop_a.set()
ta.join(10)
ca.stop()
elected.wait(10)
stop_b.set()
tb.join(10)
cb.stop()
out["election"] = winners

# Barrier and DoubleBarrier
barrier = Barrier(zk, "/k/barrier")
barrier.create()
released = []
tw = threading.Thread(target=lambda: released.append(Barrier(client(), "/k/barrier").wait(10)))
tw.start()
time.sleep(0.3)
barrier.remove()
tw.join(15)
out["barrier"] = released

entered = []


def double(name):
    c = client()
    db = DoubleBarrier(c, "/k/double", 2, identifier=name)
    db.enter()
    entered.append(name)
    db.leave()
    c.stop()


dts = [threading.Thread(target=double, args=(n,)) for n in ("x", "y")]
for th in dts:
    th.start()
for th in dts:
    th.join(30)
out["double_barrier"] = sorted(entered)

# Queues
q = Queue(zk, "/k/queue")
for item in (b"1", b"2", b"3"):
    q.put(item)
out["queue"] = [q.get().decode() for _ in range(3)]
lq = LockingQueue(zk, "/k/lqueue")
lq.put(b"a", priority=50)
lq.put(b"b", priority=10)
first = lq.get(5)
lq.consume()
out["locking_queue_first"] = first.decode()

# Counter
counter = Counter(zk, "/k/counter")
counter += 5
counter -= 2
out["counter"] = counter.value

# Party
party = Party(zk, "/k/party", "me")
party.join()
out["party"] = len(party)
party.leave()

# TreeCache
cache = TreeCache(zk, "/k/tree")
tree_events = []
initialized = threading.Event()


def listener(event):
    tree_events.append(event.event_type)
    if event.event_type == TreeEvent.INITIALIZED:
        initialized.set()


zk.ensure_path("/k/tree")
cache.listen(listener)
cache.start()
initialized.wait(10)
other.create("/k/tree/x", b"1")
other.set("/k/tree/x", b"2")
deadline = time.time() + 10
while time.time() < deadline and (cache.get_data("/k/tree/x") is None or cache.get_data("/k/tree/x").data != b"2"):
    time.sleep(0.05)
out["tree_cache_x"] = cache.get_data("/k/tree/x").data.decode() if cache.get_data("/k/tree/x") else None
out["tree_cache_added"] = TreeEvent.NODE_ADDED in tree_events
cache.close()

other.stop()
zk.stop()
print(json.dumps(out))
