/* Layout of libgo.so.21 (gcc 12, Go 1.18) structures: the gccgo family (in the process, gccgo_int.h) and the
 * attach tool (outside it, attach_gccgo.c) read the same records. Checked against libgo/go/runtime/
 * runtime2.go, chan.go and sync/, against libgo's own DWARF (struct g, m, sudog, hchan) and its disassembly:
 * gopark checks the status at g+0x30 and stores the wait reason at g+0x50; __go_go stores its caller's pc at
 * g+0xc8 and the goid at g+0x38; setSystemGoroutine sets g+0x550; closechan tests hchan.closed at +0x1c and
 * locks hchan.lock at +0x58; runtime.mcall saves the goroutine's registers with __go_getcontext into
 * (g+0x567) & ~7. The goid offset is checked at start-up (runtime.main must be goroutine 1). */
#ifndef LC_GCCGO_LAYOUT_H
#define LC_GCCGO_LAYOUT_H
#define GO_G_M 0x10                   /* g.m (*m): the thread running it */
#define GO_G_STATUS 0x30              /* g.atomicstatus (uint32) */
#define GO_GRUNNABLE 1
#define GO_GRUNNING 2
#define GO_GSYSCALL 3
#define GO_GWAITING 4
#define GO_GDEAD 6
#define GO_GSCAN 0x1000
#define GO_G_GOID 0x38                /* g.goid (int64) */
#define GO_G_WAITSINCE 0x48           /* g.waitsince (int64, nanotime; set by the collector) */
#define GO_G_WAITREASON 0x50          /* g.waitreason (uint8): index of runtime.waitReasonStrings */
#define GO_G_GOPC 0xc8                /* g.gopc: pc of the go statement (__go_go's caller) */
#define GO_G_STARTPC 0xd8             /* g.startpc: the goroutine's function */
#define GO_G_WAITING 0xe0             /* g.waiting (*sudog): what a channel operation parks with */
#define GO_G_SYSTEM 0x550             /* g.isSystemGoroutine (bool), set by setSystemGoroutine() */
#define GO_G_CONTEXT 0x567            /* & ~7: the registers saved when it last switched out (__go_getcontext) */
#define GO_CTX_RBP 0x00               /* __go_getcontext's record: rbp, rbx, r12-r15, rsp, rip */
#define GO_CTX_RBX 0x08
#define GO_CTX_R12 0x10
#define GO_CTX_R13 0x18
#define GO_CTX_R14 0x20
#define GO_CTX_R15 0x28
#define GO_CTX_RSP 0x30
#define GO_CTX_RIP 0x38
#define GO_M_PROCID 0x08              /* m.procid: its thread's kernel id */
#define GO_SUDOG_WAITLINK 0x40        /* sudog.waitlink: the next case of a select */
#define GO_SUDOG_C 0x50               /* sudog.c (*hchan) */
#define GO_HCHAN_QCOUNT 0x00          /* hchan.qcount (uint): values buffered */
#define GO_HCHAN_DATAQSIZ 0x08        /* hchan.dataqsiz (uint): capacity */
#define GO_HCHAN_ELEMSIZE 0x18        /* hchan.elemsize (uint16) */
#define GO_HCHAN_CLOSED 0x1c          /* hchan.closed (uint32) */
#define GO_HCHAN_LOCK 0x58            /* hchan.lock: what chansend/chanrecv pass to gopark */
#endif
