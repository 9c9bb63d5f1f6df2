# CPython with threads: a pool of workers (joined), a queue consumer, and a daemon thread that waits forever,
# which the language abandons at exit by design (the default suppressions know it).
import concurrent.futures
import queue
import threading

def work(n):
    return sum(i * i for i in range(n))

with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
    print("pool", sum(pool.map(work, range(2000, 2040))))

q = queue.Queue()
total = []
def consume():
    while (item := q.get()) is not None:
        total.append(item)
t = threading.Thread(target=consume)
t.start()
for i in range(1000):
    q.put(i)
q.put(None)
t.join()
print("queue", sum(total))

never = threading.Event()
threading.Thread(target=never.wait, daemon=True).start()
print("daemon started")
