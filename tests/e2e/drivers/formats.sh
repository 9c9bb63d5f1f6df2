#!/bin/sh
# Machine formats, each checked with a real reader: runs $BIN with report=text,json,pprof,folded and
# log_path=$OUT/lc, then prints what the readers found, one fact per line, for the case's EXPECT lines:
#   exit N / the text report (which names the files) / json: ... (python3's json module) /
#   pprof: and contention: (go tool pprof -top) / folded: lines and whether each parses /
#   convert-*: the same report converted by 'leakcheck report'.
root=$(cd "$(dirname "$0")/../../.." && pwd)
export HOME="$OUT/home" GOCACHE="$OUT/gocache" GOPATH="$OUT/gopath" GOFLAGS=-mod=mod GOTOOLCHAIN=local \
    GOPROXY=off GOTELEMETRY=off
mkdir -p "$HOME"
LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:report=text,json,pprof,folded:log_path=$OUT/lc" LD_PRELOAD="$LIB" "$BIN" \
    > "$OUT/stdout" 2> "$OUT/stderr"
echo "exit $?"
pid=$(sed -n 's/^pid //p' "$OUT/stdout")
lc="$OUT/lc.$pid"
echo "stderr bytes: $(wc -c < "$OUT/stderr" | tr -d ' ')"
sed "s|$OUT/|OUT/|g" "$lc"

python3 - "$lc.json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
except Exception as e:
    print("json: cannot parse: %s" % e); sys.exit(0)
s = d["summary"]
print("json: schema %s reason %s live %s exit_status %s" % (d["schema"], d["reason"], d["live"], d["exit_status"]))
print("json: process pid %s exe %s" % (d["process"]["pid"], d["process"]["exe"].rsplit("/", 1)[-1]))
print("json: runtime %s %s" % (d["process"].get("runtime"), (d["process"].get("go_version") or "-")[:4]))
print("json: summary leaked %d groups %d misuse %d deadlocks %d suppressed %d" %
      (s["leaked"], s["groups"], s["misuse"], s["deadlocks"], s["suppressed"]))
keys = {"function", "file", "line", "module", "pc"}
frames = [f for t in d["tasks"] for k in ("blocking_stack", "creation_stack") for f in t[k]]
print("json: frames %s" % ("ok" if frames and all(set(f) == keys for f in frames) else "BAD"))
for g in d["groups"]:
    rep = [t for t in d["tasks"] if t["id"] == g["representative"]][0]
    top = (rep["blocking_stack"] or [rep["start_routine"] or {"function": "-"}])[0]["function"]
    ids = sorted(g["tasks"])
    members = [t for t in d["tasks"] if t["id"] in ids]
    print("json: group %d %s %s %s top %s created by %s members %s" % (
        g["count"], g["kind"], g["state"], g["what"], top,
        rep["created_by"][0]["at"]["function"] if rep["created_by"] else "-",
        "ok" if len(ids) == g["count"] and all(t["leaked"] for t in members) else "BAD"))
    obj = rep["object"]
    if obj:
        print("json: object %s%s" % (obj["kind"], "".join(
            " %s=%s" % (k, obj[k]) for k in ("capacity", "closed", "fd", "channel") if k in obj)))
for t in d["tasks"]:
    if t["main"]:
        print("json: main task %s leaked %s" % (t["kind"], t["leaked"]))
for f in d["findings"]:
    print("json: finding %s sites %s" % (f["kind"], " ".join(
        "%s@%s" % (x["label"].replace(" ", "_"), x["stack"][0]["function"] if x["stack"] else "-")
        for x in f["sites"])))
PY

pprof() { go tool pprof "$@" 2>&1; }
pprof -top "$BIN" "$lc.pb.gz" | sed -n '/flat%/,$p' | sed 's/^/pprof: /'
pprof -top "$BIN" "$lc.contention.pb.gz" | sed -n '/^Type:/p;/flat%/,$p' | sed 's/^/contention: /'
pprof -raw "$lc.pb.gz" | grep -E '^ +[a-z_]+:\[' | head -3 | sed 's/^ */labels: /'

sed 's/^/folded: /' "$lc.folded"
bad=$(grep -cvE '^[^ ;][^;]*(;[^;]+)* [0-9]+$' "$lc.folded")
echo "folded lines: $(wc -l < "$lc.folded" | tr -d ' '), malformed: $bad"

# The CLI converts the saved JSON report.
cli="$root/scripts/leakcheck"
"$cli" report "$lc.json" --format=folded > "$OUT/conv.folded" && \
    if cmp -s "$OUT/conv.folded" "$lc.folded"; then echo "convert-folded: same"; else echo "convert-folded: differs"; fi
"$cli" report "$lc.json" > "$OUT/conv.txt" && grep -E '^(leakcheck: [0-9]+ leaked|\[)' "$OUT/conv.txt" | sed 's/^/convert-text: /'
"$cli" report "$lc.json" --format=pprof --output="$OUT/conv.pb.gz" 2> /dev/null
pprof -top "$BIN" "$OUT/conv.pb.gz" | sed -n '/flat%/,$p' | sed -n 2p | sed 's/^/convert-pprof: /'
pprof -top "$OUT/conv.contention.pb.gz" | sed -n '/^Type:/p' | sed 's/^/convert-contention: /'
exit 0
