# Sourced by the drivers of the cases that trace a process (leakcheck attach, the traced run of a static gc
# program): when this machine does not let a process trace another of the same user (kernel.yama.ptrace_scope
# 1 or more without CAP_SYS_PTRACE, a container without it, seccomp), the case is skipped (exit 77).
# Usage: . "$root/tests/e2e/drivers/ptrace_probe.sh"   (needs $LIB: the attach tool is next to it)
probe_attach=$(dirname "$LIB")/leakcheck-attach
sleep 5 &
probe_pid=$!
probe_out=$("$probe_attach" "$probe_pid" 2>&1 >/dev/null)
probe_status=$?
kill "$probe_pid" 2>/dev/null
wait "$probe_pid" 2>/dev/null
if [ $probe_status -ne 0 ] && echo "$probe_out" | grep -q 'cannot trace'; then
    echo "SKIP: ptrace is not available here: $probe_out"
    exit 77
fi
