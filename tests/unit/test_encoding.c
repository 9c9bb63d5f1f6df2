/* Unit tests for the encoders under the machine formats: protobuf against known bytes (the wire-format guide's
 * examples), JSON escaping and the JSON writer's layout. */
#include <check.h>
#include "unit.h"
#include "capture.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../../report/json.h"
#include "../../report/proto.h"

static void escape_fn(struct lc_bufw *w, void *arg)
{
    json_escape(w, arg);
}

static const char *escaped(const char *s)
{
    return collect(escape_fn, (void *)s, NULL);
}

static void expect_bytes(const struct pb *b, const uint8_t *want, size_t n)
{
    ck_assert_uint_eq(b->n, n);
    ck_assert_int_eq(memcmp(b->p, want, n), 0);
}

/* ---- protobuf ---------------------------------------------------------------------------------------------- */

START_TEST(proto_known_bytes)
{
    struct pb b;
    pb_init(&b);
    pb_uint(&b, 1, 150);                                     /* the wire-format guide's examples */
    expect_bytes(&b, (const uint8_t[]){ 0x08, 0x96, 0x01 }, 3);
    pb_free(&b);

    pb_string(&b, 2, "testing");
    expect_bytes(&b, (const uint8_t[]){ 0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g' }, 9);
    pb_free(&b);

    uint64_t v[] = { 3, 270, 86942 };
    pb_packed_uint(&b, 4, v, 3);
    expect_bytes(&b, (const uint8_t[]){ 0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05 }, 8);
    pb_packed_uint(&b, 4, v, 0);                             /* empty: nothing at all */
    ck_assert_uint_eq(b.n, 8);
    pb_free(&b);

    size_t m = pb_begin(&b, 3);                              /* Test3 { c: Test1 { a: 150 } } */
    pb_uint(&b, 1, 150);
    pb_end(&b, m);
    expect_bytes(&b, (const uint8_t[]){ 0x1a, 0x03, 0x08, 0x96, 0x01 }, 5);
    pb_free(&b);

    pb_int(&b, 1, -1);                                       /* int64: ten bytes, two's complement */
    expect_bytes(&b, (const uint8_t[]){ 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 11);
    pb_free(&b);

    int64_t iv[] = { 1, 53000000 };
    pb_packed_int(&b, 2, iv, 2);
    expect_bytes(&b, (const uint8_t[]){ 0x12, 0x05, 0x01, 0xc0, 0xee, 0xa2, 0x19 }, 7);
    pb_free(&b);
}
END_TEST

START_TEST(proto_long_nested_message)
{
    struct pb b;
    char s[300];
    memset(s, 'x', sizeof s - 1);
    s[sizeof s - 1] = 0;
    pb_init(&b);
    pb_uint(&b, 9, 1);
    size_t m = pb_begin(&b, 5);                              /* 304 bytes inside: a two-byte length */
    pb_string(&b, 2, s);
    size_t m2 = pb_begin(&b, 1);                             /* nested inside nested */
    pb_end(&b, m2);
    pb_end(&b, m);
    ck_assert_uint_eq(b.n, 2 + 1 + 2 + (1 + 2 + 299) + 2);
    const uint8_t head[] = { 0x48, 0x01, 0x2a, 0xb0, 0x02, 0x12, 0xab, 0x02, 'x' };
    ck_assert_int_eq(memcmp(b.p, head, sizeof head), 0);
    ck_assert_int_eq(b.p[b.n - 2], 0x0a);
    ck_assert_int_eq(b.p[b.n - 1], 0x00);
    struct pb all;
    pb_init(&all);
    pb_append(&all, &b);
    pb_append(&all, &b);
    ck_assert_uint_eq(all.n, 2 * b.n);
    ck_assert_int_eq(memcmp(all.p + b.n, b.p, b.n), 0);
    pb_free(&all);
    pb_free(&b);
}
END_TEST

/* ---- JSON -------------------------------------------------------------------------------------------------- */

START_TEST(json_escaping)
{
    ck_assert_str_eq(escaped("main.(*T).emit"), "\"main.(*T).emit\"");
    ck_assert_str_eq(escaped("a\"b\\c"), "\"a\\\"b\\\\c\"");
    ck_assert_str_eq(escaped("l1\nl2\t\r\b\f"), "\"l1\\nl2\\t\\r\\b\\f\"");
    ck_assert_str_eq(escaped("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
    ck_assert_str_eq(escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    ck_assert_str_eq(escaped("bad\xff\xc3(\xed\xa0\x80."), "\"bad\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd.\"");
    ck_assert_str_eq(escaped("\xc0\xaf"), "\"\\ufffd\\ufffd\"");             /* overlong '/' */
    ck_assert_str_eq(escaped("trunc\xe2\x82"), "\"trunc\\ufffd\\ufffd\"");
    ck_assert_str_eq(escaped(""), "\"\"");
    ck_assert_str_eq(escaped(NULL), "null");
}
END_TEST

static void writer_fn(struct lc_bufw *w, void *arg)
{
    struct jw j;
    (void)arg;
    jw_init(&j, w);
    jw_open(&j, NULL, '{');
    jw_str(&j, "a", "x");
    jw_open(&j, "list", '[');
    jw_u64(&j, NULL, 1);
    jw_i64(&j, NULL, -2);
    jw_close(&j);
    jw_open(&j, "empty", '[');
    jw_close(&j);
    jw_open(&j, "o", '{');
    jw_open(&j, "deep", '{');
    jw_bool(&j, "t", 1);
    jw_null(&j, "n");
    jw_hex(&j, "pc", 0x1234abcd);
    jw_close(&j);
    jw_close(&j);
    jw_close(&j);
}

START_TEST(json_writer_layout)
{
    ck_assert_str_eq(collect(writer_fn, NULL, NULL),
                     "{\n"
                     "  \"a\":\"x\",\n"
                     "  \"list\":[\n"
                     "    1,\n"
                     "    -2\n"
                     "  ],\n"
                     "  \"empty\":[],\n"
                     "  \"o\":{\n"
                     "    \"deep\":{\n"
                     "      \"t\":true,\n"
                     "      \"n\":null,\n"
                     "      \"pc\":\"0x1234abcd\"\n"
                     "    }\n"
                     "  }\n"
                     "}\n");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("encoding");
    TCase *tc = tcase_create("encoding");
    tcase_add_test(tc, proto_known_bytes);
    tcase_add_test(tc, proto_long_nested_message);
    tcase_add_test(tc, json_escaping);
    tcase_add_test(tc, json_writer_layout);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
