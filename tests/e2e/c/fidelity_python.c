// CPython under the shim keeps Ctrl-C: at start it finds SIGINT at its default (the shim's handler is not
// shown to it), so it installs its own, and a SIGINT becomes KeyboardInterrupt, caught by the script.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_NEEDS=python3
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| SIGINT handler is default_int_handler: True$
// EXPECT: ^\| KeyboardInterrupt caught$
// REJECT: ^leakcheck
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static const char script[] =
    "import os, signal, time\n"
    "print('SIGINT handler is default_int_handler:', signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n"
    "try:\n"
    "    os.kill(os.getpid(), signal.SIGINT)\n"
    "    time.sleep(2)\n"
    "    print('not interrupted')\n"
    "except KeyboardInterrupt:\n"
    "    print('KeyboardInterrupt caught')\n";

int main(void)
{
    /* a background job inherits SIGINT ignored, which CPython would keep: start it as a terminal would */
    signal(SIGINT, SIG_DFL);
    execlp("python3", "python3", "-c", script, (char *)NULL);
    perror("python3");
    return 1;
}
