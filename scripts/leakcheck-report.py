#!/usr/bin/env python3
"""leakcheck report: convert a saved JSON report (schema leakcheck/1) to the text report, pprof profiles or
folded stacks. Called by `leakcheck report`; runs on its own too:

    leakcheck-report.py FILE.json --format=text|pprof|folded [--output=PATH]
"""
import argparse
import gzip
import json
import sys
import time

SCHEMA = "leakcheck/1"
COL = 31                      # where file:line starts in the text report


class Fail(Exception):
    """A one-line error for the user."""


# ---- frames and stacks ---------------------------------------------------------------------------------------

def where(fr):
    if fr.get("file"):
        return "%s:%s" % (fr["file"], fr.get("line") or 0)
    if fr.get("module"):
        return "%s@%s" % (fr["module"], fr.get("pc", "?"))
    return ""


def frame_line(indent, label, fr):
    head = indent + label + (fr.get("function") or "??")
    pad = COL - len(head) if len(head) + 2 <= COL else 2
    return head + " " * pad + where(fr)


def profile_stack(task):
    """The stack a profile charges a task to, innermost first (as the library does)."""
    if task.get("state") == "blocked" and task.get("blocking_stack"):
        return task["blocking_stack"]
    stack = []
    if task.get("start_routine"):
        stack.append(task["start_routine"])
    return stack + (task.get("creation_stack") or [])


def grouped_tasks(doc):
    """The tasks the report is about (in a group), in group order."""
    tasks = [t for t in doc.get("tasks", []) if t.get("group") is not None]
    return sorted(tasks, key=lambda t: t["group"])


# ---- text ----------------------------------------------------------------------------------------------------

def noun(kind, n):
    word = "goroutine" if kind == "goroutine" else "thread"
    return word if n == 1 else word + "s"


def secs(ns):
    return "%.2fs" % (ns / 1e9)


def object_text(doc, task):
    obj = task.get("object")
    if not obj:
        return ""
    kind = obj.get("kind")
    if kind == "chan":
        if obj.get("nil"):
            return " on nil chan"
        s = " on chan %s" % obj.get("address")
        notify = ", signal.Notify" if obj.get("signal_notify") else ""
        if "capacity" in obj:
            s += " (buffered cap %d, " % obj["capacity"] if obj["capacity"] else " (unbuffered, "
            s += ("closed" if obj.get("closed") else "never closed") + notify + ")"
        elif notify:
            s += " (signal.Notify)"
        return s
    if kind == "fd":
        made = obj.get("made_at") or []
        if obj.get("channel") and made:
            return " on %s fd %d (made at %s %s)" % (obj["channel"], obj["fd"], made[0]["function"], where(made[0]))
        return " on %sfd %d" % (obj["channel"] + " " if obj.get("channel") else "", obj["fd"])
    if kind == "thread" and "task" in obj:
        return " on thread %d" % obj["task"]
    return " on %s %s" % (kind, obj.get("address"))


def group_text(doc, g, by_id, out):
    rep = by_id.get(g.get("representative"), {})
    n, kind = g["count"], g["kind"]
    old, young = secs(g["oldest_ns"]), secs(g["newest_ns"])
    # how long is not known for a task seen once from outside (attach): its duration is null
    known = rep.get("duration_ns") is not None
    newest = " (newest %s)" % young if known and n > 1 and old != young else ""
    since = " for %s%s" % (old, newest) if known else ""
    head = "[%d %s " % (n, noun(kind, n))
    if g["state"] == "blocked":
        head += "blocked%s in %s%s" % (since, g.get("what") or "??", object_text(doc, rep))
    elif g["state"] == "running":
        head += "still running%s" % since
    else:
        head += "finished %s ago, never joined nor detached" % old
    out.append(head + "]")
    stack = rep.get("blocking_stack") or []
    for fr in stack:
        out.append(frame_line("    ", "", fr))
    if not stack:
        if rep.get("start_routine"):
            out.append(frame_line("    ", "start routine ", rep["start_routine"]))
        else:
            out.append("    (main %s)" % noun(kind, 1) if rep.get("main") else "    (no stack)")
    for anc in rep.get("created_by") or []:
        line = frame_line("  ", "created by ", anc["at"])
        if anc.get("task"):
            creator = by_id.get(anc["task"])
            line += "  (%s %d)" % (noun(creator["kind"] if creator else kind, 1), anc["task"])
        out.append(line)
    if g.get("test"):
        out.append("  test: %s" % g["test"])
    obj = rep.get("object") or {}
    if obj.get("kind") == "chan" and obj.get("made_at"):
        made = obj["made_at"]
        out.append(frame_line("  ", "channel made at ", made[0]))
    out.append("")


# How the text report names a finding's object after its title (None: not at all).
OBJECT_PREFIX = {
    "double_close": " of chan", "send_closed": "", "neg_waitgroup": " on WaitGroup", "unlock_unlocked": "",
    "fd_double_close": " of fd", "fd_use_after_close": "", "fd_bad_close": "", "epipe": " on fd",
    "mutex_not_owner": "", "mutex_destroy_locked": "", "exit_holding_lock": " on mutex",
    "self_deadlock": " on mutex", "lock_order": " of mutex",
}


def finding_text(f, by_id, out):
    obj = f.get("object") or {}
    prefix = OBJECT_PREFIX.get(f["kind"])
    desc = ""
    if prefix is not None and obj.get("kind") == "fd":
        desc = "%s %d" % (prefix, obj["fd"])
    elif prefix is not None and obj.get("address"):
        desc = "%s %s" % (prefix, obj["address"])
    note = " (%s)" % f["note"] if f.get("note") and f["note"] not in desc else ""
    times = " (%d times)" % f["count"] if f.get("count", 1) > 1 else ""
    out.append("[%s%s%s%s]" % (f["title"], desc, note, times))
    width = max([len(s["label"]) + 1 for s in f["sites"]] or [0])
    for s in f["sites"]:
        fr = (s.get("stack") or [{"function": "??"}])[0]
        line = frame_line("  ", (s["label"] + ":").ljust(width) + " ", fr)
        if s.get("task"):
            t = by_id.get(s["task"])
            line += "  (%s %d)" % (noun(t["kind"], 1) if t else "task", s["task"])
        out.append(line)
    out.append("")


def to_text(doc):
    out = []
    by_id = {t["id"]: t for t in doc.get("tasks", [])}
    summ = doc["summary"]
    findings = [f for f in doc.get("findings", []) if not f.get("suppressed")]
    groups = doc.get("groups", [])
    if doc.get("live"):
        pid = doc["process"]["pid"]
        if doc["reason"] == "alert":
            out.append("leakcheck: task count alert: %d live tasks, max_tasks=%s (pid %d)" %
                       (summ["tasks"], doc.get("max_tasks", "?"), pid))
            out.append("")
            sites = doc.get("creation_sites") or []
            if sites:
                out.append("top creation sites (tasks created there):")
                for s in sites[:10]:
                    out.append(frame_line("  ", "%7d  " % s["count"], s["at"]))
                out.append("")
        else:
            what = "periodic" if doc["reason"] == "periodic" else "live"
            out.append("leakcheck: %s report (pid %d, %d tasks)" % (what, pid, summ["tasks"]))
            out.append("")
    else:
        leaked, misuse, dead = summ["leaked"], summ["misuse"], summ["deadlocks"]
        if not (leaked or misuse or dead):
            return "leakcheck: no leaks (pid %d, %d suppressed)\n" % (doc["process"]["pid"], summ["suppressed"])
        if leaked:
            th, go = summ.get("threads", 0), summ.get("goroutines", 0)
            what = "goroutines" if not th else "threads" if not go else "tasks"
            head = "leakcheck: found unexpected %s (" % what
        else:
            head = "leakcheck: found %s (" % ("misuse" if misuse else "deadlock")
        head += "%d leaked in %d groups" % (leaked, summ["groups"])
        head += ", %d misuse" % misuse if misuse else ""
        head += ", %d deadlocks" % dead if dead else ""
        out += [head + ")", ""]
    for g in groups:
        group_text(doc, g, by_id, out)
    for f in findings:
        finding_text(f, by_id, out)
    if not doc.get("live"):
        used = [r for r in doc.get("suppressions", []) if r.get("hits")]
        if used:
            out.append("leakcheck: used suppressions:")
            out += ["  %d %s:%s" % (r["hits"], r["kind"], r["pattern"]) for r in used]
            out.append("")
        tail = "leakcheck: %d leaked, %d misuse" % (summ["leaked"], summ["misuse"])
        tail += ", %d deadlocks" % summ["deadlocks"] if summ["deadlocks"] else ""
        out.append(tail + "; exit status %s" % doc.get("exit_status"))
    return "\n".join(out) + "\n"


# ---- folded --------------------------------------------------------------------------------------------------

def to_folded(doc):
    lines = {}
    for t in grouped_tasks(doc):
        stack = profile_stack(t)
        names = [(fr.get("function") or "??").replace(";", ":").replace("\n", ":") for fr in reversed(stack)]
        key = ";".join(names) or ("(goroutine)" if t["kind"] == "goroutine" else "(thread)")
        lines[key] = lines.get(key, 0) + 1            # dicts keep insertion order: the group order
    return "".join("%s %d\n" % (k, v) for k, v in lines.items())


# ---- pprof (profile.proto) -----------------------------------------------------------------------------------

def varint(v):
    v &= (1 << 64) - 1                                 # int64 as two's complement
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def field_varint(num, v):
    return varint(num << 3) + varint(v)


def field_bytes(num, data):
    return varint(num << 3 | 2) + varint(len(data)) + data


def packed(num, values):
    return field_bytes(num, b"".join(varint(v) for v in values)) if values else b""


class Profile:
    def __init__(self, exe):
        self.strings, self.index = [], {}
        self.funcs, self.locs = {}, {}
        self.body = bytearray()
        self.str("")
        self.exe = exe

    def str(self, s):
        s = s or ""
        if s not in self.index:
            self.index[s] = len(self.strings)
            self.strings.append(s)
        return self.index[s]

    def func(self, fr):
        key = (self.str(fr.get("function") or "??"), self.str(fr.get("file")))
        if key not in self.funcs:
            self.funcs[key] = len(self.funcs) + 1
        return self.funcs[key]

    def loc(self, fr):
        pc = int(fr.get("pc") or "0", 16)
        key = (pc, self.func(fr), fr.get("line") or 0)
        if key not in self.locs:
            self.locs[key] = len(self.locs) + 1
        return self.locs[key]

    def value_type(self, num, typ, unit):
        self.body += field_bytes(num, field_varint(1, self.str(typ)) + field_varint(2, self.str(unit)))

    def sample(self, task, values):
        ids = [self.loc(fr) for fr in profile_stack(task)]
        msg = packed(1, ids) + packed(2, values)
        labels = [("kind", task["kind"]), ("state", task["state"])]
        if task["state"] == "blocked":
            labels.append(("what", task.get("what")))
            obj = task.get("object") or {}
            if obj.get("kind") == "fd":
                labels.append(("object", "fd %d" % obj["fd"]))
            elif obj.get("kind") == "chan":
                labels.append(("object", "nil chan" if obj.get("nil") else "chan " + obj["address"]))
            elif obj.get("address"):
                labels.append(("object", obj["address"]))
        if task.get("created_by"):
            labels.append(("created_by", task["created_by"][0]["at"].get("function")))
        if task.get("test"):
            labels.append(("test", task["test"]))
        for k, v in labels:
            if v:
                msg += field_bytes(3, field_varint(1, self.str(k)) + field_varint(2, self.str(v)))
        self.body += field_bytes(2, msg)

    def encode(self):
        out = bytearray(self.body)
        out += field_bytes(3, field_varint(1, 1) + field_varint(5, self.str(self.exe)) +
                           b"".join(field_varint(n, 1) for n in (7, 8, 9, 10)))
        for (pc, fid, line), lid in self.locs.items():
            ln = field_varint(1, fid) + field_varint(2, line)
            out += field_bytes(4, field_varint(1, lid) + field_varint(2, 1) + field_varint(3, pc) +
                               field_bytes(4, ln))
        for (name, fname), fid in self.funcs.items():
            out += field_bytes(5, field_varint(1, fid) + field_varint(2, name) + field_varint(3, name) +
                               field_varint(4, fname))
        for s in self.strings:
            out += field_bytes(6, s.encode("utf-8", "replace"))
        return bytes(out)


def to_pprof(doc, contention):
    p = Profile(doc["process"].get("exe") or "")
    if contention:
        p.value_type(1, "contentions", "count")
        p.value_type(1, "delay", "nanoseconds")
        p.value_type(11, "contentions", "count")
        p.body += field_varint(14, p.str("delay"))
    else:
        p.value_type(1, "goroutine", "count")
        p.value_type(11, "goroutine", "count")
    p.body += field_varint(12, 1)
    p.body += field_varint(9, doc.get("time_unix_ns") or int(time.time() * 1e9))
    comment = "leakcheck pid %d, %s report: %s" % (doc["process"]["pid"], doc["reason"],
                                                  "every task" if doc.get("live") else "leaked tasks")
    p.body += field_varint(13, p.str(comment))
    for t in grouped_tasks(doc):
        if not contention:
            p.sample(t, [1])
        elif t["state"] == "blocked":
            p.sample(t, [1, t.get("duration_ns") or 0])
    return gzip.compress(p.encode())


# ---- command line --------------------------------------------------------------------------------------------

def load(path):
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        raise Fail("cannot read '%s': %s" % (path, e.strerror))
    except ValueError as e:
        raise Fail("'%s' is not a JSON report: %s" % (path, e))
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise Fail("'%s' is not a leakcheck JSON report (no \"schema\": \"%s\")" % (path, SCHEMA))
    return doc


def write(path, data, binary):
    if path in (None, "-"):
        if binary and sys.stdout.isatty():
            raise Fail("not writing a binary profile to a terminal (use --output=FILE)")
        out = sys.stdout.buffer
        out.write(data if binary else data.encode("utf-8"))
        out.flush()
        return
    try:
        with open(path, "wb") as f:
            f.write(data if binary else data.encode("utf-8"))
    except OSError as e:
        raise Fail("cannot write '%s': %s" % (path, e.strerror))


class Parser(argparse.ArgumentParser):
    """Usage errors as one line, like every other error."""

    def error(self, message):
        raise Fail("%s (see 'leakcheck report --help')" % message)


def main(argv):
    ap = Parser(
        prog="leakcheck report",
        description="Convert a saved leakcheck JSON report (report=json writes BASE.PID.json) to another format.",
        epilog="pprof writes two gzipped profiles: OUTPUT (default: FILE without .json, plus .pb.gz), the tasks "
               "by stack, and OUTPUT with .contention.pb.gz, blocked time by site. Open them with "
               "'go tool pprof -top PROGRAM FILE.pb.gz'. text and folded go to standard output by default.")
    ap.add_argument("file", metavar="FILE.json", help="a report written with report=json")
    ap.add_argument("--format", "-f", choices=("text", "pprof", "folded"), default="text",
                    help="output format (default: text)")
    ap.add_argument("--output", "-o", metavar="PATH", help="where to write ('-' for standard output)")
    args = ap.parse_args(argv)
    doc = load(args.file)
    if args.format == "text":
        write(args.output, to_text(doc), False)
    elif args.format == "folded":
        write(args.output, to_folded(doc), False)
    else:
        out = args.output
        if out is None:
            base = args.file[:-5] if args.file.endswith(".json") else args.file
            out = base + ".pb.gz"
        second = (out[:-6] if out.endswith(".pb.gz") else out) + ".contention.pb.gz"
        write(out, to_pprof(doc, False), True)
        if out != "-":
            write(second, to_pprof(doc, True), True)
            print("leakcheck: pprof profiles written to %s and %s" % (out, second), file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fail as e:
        print("leakcheck report: %s" % e, file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(1)
