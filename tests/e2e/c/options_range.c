// Options outside their range each get one line naming the value and the range, and keep their default:
// exitcode=300 (the status stays 66), stack_depth=0 (stacks keep 32 frames), a negative max_tasks, an
// empty report= (the text report is written), verbosity=9, children=maybe.
// OPTIONS: exitcode=300:stack_depth=0:max_tasks=-1:report=:verbosity=9:children=maybe:grace_ms=50
// EXIT: 66
// EXPECT-COUNT: 1 ^leakcheck: bad value in 'exitcode=300' \(expected an integer 0-255\), ignored$
// EXPECT-COUNT: 1 ^leakcheck: bad value in 'stack_depth=0' \(expected an integer 1-64\), ignored$
// EXPECT-COUNT: 1 ^leakcheck: bad value in 'max_tasks=-1' \(expected an integer 0-\), ignored$
// EXPECT-COUNT: 1 ^leakcheck: bad value in 'report=' \(expected a value\), ignored$
// EXPECT-COUNT: 1 ^leakcheck: bad value in 'verbosity=9' \(expected an integer 0-2\), ignored$
// EXPECT-COUNT: 1 ^leakcheck: bad value in 'children=maybe' \(expected off\|report\|status\), ignored$
// EXPECT: ^    wait_for_work +.*stuck_worker\.h:[0-9]+( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
#include "stuck_worker.h"
#include <unistd.h>

int main(void)
{
    start_stuck_worker();
    usleep(20000);
    return 0;
}
