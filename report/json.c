/* JSON output: escaping and the bookkeeping of commas and indentation (levels up to 3 are indented, deeper
 * ones, such as stack frames, stay on one line). */
#include "json.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (2-4), or 0. */
static int utf8_len(const unsigned char *p)
{
    unsigned char c = p[0];
    int n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;                   /* no overlong forms */
        if (c == 0xED)
            hi = 0x9F;                   /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;                   /* nothing past U+10FFFF */
    } else
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

void json_escape(struct lc_bufw *w, const char *s)
{
    if (!s) {
        bw_puts(w, "null");
        return;
    }
    bw_write(w, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned char c = *p;
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        }
        if (esc) {
            bw_puts(w, esc);
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            bw_printf(w, "\\u%04x", c);
            p++;
        } else if (c < 0x80) {
            bw_write(w, (const char *)p, 1);
            p++;
        } else {
            int n = utf8_len(p);
            if (n) {
                bw_write(w, (const char *)p, (size_t)n);
                p += n;
            } else {
                bw_puts(w, "\\ufffd");
                p++;
            }
        }
    }
    bw_write(w, "\"", 1);
}

void jw_init(struct jw *j, struct lc_bufw *w)
{
    memset(j, 0, sizeof *j);
    j->w = w;
}

static void newline(struct jw *j)
{
    bw_write(j->w, "\n", 1);
    for (int i = 0; i < j->depth; i++)
        bw_write(j->w, "  ", 2);
}

/* Comma, indentation and "key": before a value. */
static void before(struct jw *j, const char *key)
{
    if (j->more[j->depth])
        bw_write(j->w, ",", 1);
    j->more[j->depth] = 1;
    if (j->depth > 0 && j->depth <= 3)
        newline(j);
    if (key) {
        json_escape(j->w, key);
        bw_write(j->w, ":", 1);
    }
}

void jw_open(struct jw *j, const char *key, char brace)
{
    before(j, key);
    bw_write(j->w, &brace, 1);
    if (j->depth + 1 < JW_DEPTH)      /* deeper nesting than the report uses is not supported */
        j->depth++;
    j->more[j->depth] = 0;
    j->array[j->depth] = brace == '[';
}

void jw_close(struct jw *j)
{
    char brace = j->array[j->depth] ? ']' : '}';
    int had = j->more[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (had && j->depth < 3)
        newline(j);
    bw_write(j->w, &brace, 1);
    if (j->depth == 0)
        bw_write(j->w, "\n", 1);
}

void jw_str(struct jw *j, const char *key, const char *s)
{
    before(j, key);
    json_escape(j->w, s);
}

void jw_u64(struct jw *j, const char *key, uint64_t v)
{
    before(j, key);
    bw_printf(j->w, "%llu", (unsigned long long)v);
}

void jw_i64(struct jw *j, const char *key, int64_t v)
{
    before(j, key);
    bw_printf(j->w, "%lld", (long long)v);
}

void jw_bool(struct jw *j, const char *key, int v)
{
    before(j, key);
    bw_puts(j->w, v ? "true" : "false");
}

void jw_null(struct jw *j, const char *key)
{
    before(j, key);
    bw_puts(j->w, "null");
}

void jw_hex(struct jw *j, const char *key, uint64_t v)
{
    before(j, key);
    bw_printf(j->w, "\"0x%llx\"", (unsigned long long)v);
}
