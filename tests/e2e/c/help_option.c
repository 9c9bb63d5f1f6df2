// help=1 prints the option table (name, default, help line) and the program still runs.
// OPTIONS: help=1
// EXIT: 0
// EXPECT: exitcode.*exit status when there are findings
// EXPECT: grace_ms.*time running tasks get to finish
// EXPECT: log_path.*write reports to PATH\.PID
// EXPECT: suppressions
// EXPECT: dump_signal
// REJECT: ^leakcheck: found
// STDOUT: ^ran$
#include <stdio.h>

int main(void)
{
    printf("ran\n");
    return 0;
}
