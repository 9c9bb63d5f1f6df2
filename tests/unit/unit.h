/* Shared by the unit tests: run a suite and turn its result into the exit status. */
#ifndef LC_UNIT_H
#define LC_UNIT_H
#include <check.h>

static inline int unit_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
#endif
