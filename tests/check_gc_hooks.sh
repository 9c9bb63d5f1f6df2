#!/bin/sh
# The code that runs on a gc Go program's own threads (interpose/gc_hooks.c, gc_recorders.c) may use no libc, no thread-local
# storage and no stack protector (GC-GO.md: in a binary without cgo the thread pointer is the Go runtime's).
# This reads its object file: every relocation must name a symbol defined in that object or one of the
# shim's own variables it shares with gc_family.c, and %fs may only be read through the runtime's g offset.
set -u
[ $# -gt 0 ] || set -- build/interpose/gc_hooks.o build/interpose/gc_recorders.o
bad=0
for obj in "$@"; do
[ -f "$obj" ] || { echo "check_gc_hooks: $obj not built" >&2; exit 2; }
defined=$(nm --defined-only "$obj" | awk '{print $3}')
for sym in $(objdump -dr "$obj" | awk '/R_X86_64_/ { s = $3; sub(/[-+]0x[0-9a-f]+$/, "", s); print s }' | sort -u); do
    case $sym in
        .LC*|.text*|.data*|.bss*|.rodata*) continue ;;
    esac
    if ! printf '%s\n' "$defined" | grep -qx "$sym"; then
        case $sym in
            gc_rec|gc_ctl|gc_sampling|lc_gc_*) ;;     # the shim's own variables and code (gc_*.c on Go's threads)
            *) echo "check_gc_hooks: $obj refers to '$sym', outside it: code on Go's threads must not"; bad=1 ;;
        esac
    fi
done
# %fs: only the runtime's g, at the offset lc_gc_tls_g gives (mov %fs:(%reg), %reg); never the canary at 0x28
if objdump -d "$obj" | grep -E '%fs:' | grep -vqE 'mov +%fs:\(%r[a-z0-9]+\),%r[a-z0-9]+$'; then
    echo "check_gc_hooks: $obj reads thread-local storage other than the runtime's g:"
    objdump -d "$obj" | grep -E '%fs:' | grep -vE 'mov +%fs:\(%r[a-z0-9]+\),%r[a-z0-9]+$' | head -5
    bad=1
fi
done
[ $bad -eq 0 ] && echo "gc hooks: no libc, no thread-local storage but the runtime's g"
exit $bad
