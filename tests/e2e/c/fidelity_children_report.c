// The same children with children=report: the programs started are checked too, their reports go where the
// parent's go, and every exit status is still the child's own (the spawned program's leaked thread is reported,
// its status stays 5; the fork child's too, its status stays 3).
// DRIVER: ../drivers/fidelity.sh
// OPTIONS: children=report:grace_ms=50
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| system: hello, status 0$
// EXPECT: ^\| fork: status 3$
// EXPECT: ^\| vfork: status 7$
// EXPECT-COUNT: 2 ^    wait_for_work +.*stuck_worker\.h:[0-9]+( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 5$
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 3$
// REJECT: exit status 66
#include "fidelity_children.c"
