// Correct: a server answers on a socketpair with send(MSG_NOSIGNAL) after the client has hung up. MSG_NOSIGNAL
// asks for EPIPE as the answer instead of SIGPIPE, and the server handles it: nothing to report. (A plain
// write there, SIGPIPE ignored, is still reported: fd_epipe_ignored.) Earlier builds reported an epipe
// misuse, exit status 66.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^client gone: send -1 EPIPE, handled$
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 1;
    close(sv[1]);                       /* the client hangs up */
    ssize_t r = send(sv[0], "reply\n", 6, MSG_NOSIGNAL);
    int e = errno;
    printf("client gone: send %zd %s, handled\n", r, r < 0 && e == EPIPE ? "EPIPE" : "?");
    close(sv[0]);
    return 0;
}
