/* Go names. gccgo writes symbols as pkgpath.Name with an escape scheme for odd characters (_0 '.', _1 '/',
 * __ '_', _u00e9 ...), DWARF names are the plain pkgpath.Name, pointer and value methods both come out as
 * pkg.T.m and closures as pkg.f..func1. Go prints pkg.(*T).m and pkg.f.func1; this file converts. */
#include "goname.h"

#include <ctype.h>
#include <string.h>

/* Suffixes gcc adds to cloned or split C functions: such symbols are C, not Go. */
static const char *const c_clone_suffix[] = {
    ".cold", ".part.", ".isra.", ".constprop.", ".lto_priv.", ".localalias", ".specialized.",
};

int goname_is_go_symbol(const char *sym)
{
    if (!sym || !*sym || sym[0] == '_' || sym[0] == '.')
        return 0;
    const char *dot = strchr(sym, '.');
    if (!dot || dot == sym)
        return 0;
    for (size_t i = 0; i < sizeof c_clone_suffix / sizeof c_clone_suffix[0]; i++)
        if (strstr(sym, c_clone_suffix[i]))
            return 0;
    for (const char *p = sym; p < dot; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return 0;
    return 1;
}

static int hexval(const char *p, int n, unsigned long *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)p[i]))
            return 0;
        *v = *v * 16 + (unsigned long)(isdigit((unsigned char)p[i]) ? p[i] - '0' : (tolower((unsigned char)p[i]) - 'a' + 10));
    }
    return 1;
}

/* Append code point c as UTF-8; returns bytes written (0 when it does not fit). */
static size_t put_utf8(char *o, size_t room, unsigned long c)
{
    unsigned char b[4];
    size_t n;
    if (c < 0x80) { b[0] = (unsigned char)c; n = 1; }
    else if (c < 0x800) { b[0] = (unsigned char)(0xc0 | (c >> 6)); b[1] = (unsigned char)(0x80 | (c & 0x3f)); n = 2; }
    else if (c < 0x10000) {
        b[0] = (unsigned char)(0xe0 | (c >> 12)); b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        b[2] = (unsigned char)(0x80 | (c & 0x3f)); n = 3;
    } else {
        b[0] = (unsigned char)(0xf0 | ((c >> 18) & 0x07)); b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
        b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f)); b[3] = (unsigned char)(0x80 | (c & 0x3f)); n = 4;
    }
    if (n >= room)
        return 0;
    memcpy(o, b, n);
    return n;
}

void goname_demangle(const char *sym, char *out, size_t len)
{
    static const char esc[] = "./*,{}[]()\" ;";   /* _0 .. _9, _a, _b, _c */
    size_t o = 0;
    if (!len)
        return;
    for (const char *p = sym; *p && o + 1 < len; p++) {
        char c = *p;
        unsigned long v;
        if (c == '_' && p[1]) {
            char e = p[1];
            if (e == '_') { out[o++] = '_'; p++; continue; }
            if (e >= '0' && e <= '9') { out[o++] = esc[e - '0']; p++; continue; }
            if (e >= 'a' && e <= 'c') { out[o++] = esc[10 + e - 'a']; p++; continue; }
            if (e == 'x' && hexval(p + 2, 2, &v)) { out[o++] = (char)v; p += 3; continue; }
            if (e == 'u' && hexval(p + 2, 4, &v)) { o += put_utf8(out + o, len - o, v); p += 5; continue; }
            if (e == 'U' && hexval(p + 2, 8, &v)) { o += put_utf8(out + o, len - o, v); p += 9; continue; }
        }
        out[o++] = c;
    }
    out[o] = 0;
}

/* Start of the part after the package path and name: "S.P..func1" in "example.com/app/sub.S.P..func1". */
static const char *after_pkg(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strchr(slash ? slash + 1 : name, '.');
    return dot ? dot + 1 : NULL;
}

int goname_method(const char *name, char *recv, size_t rlen, char *base, size_t blen)
{
    const char *rest = after_pkg(name);
    if (!rest || !rlen || !blen)
        return 0;
    /* the method part ends at a closure suffix; any other ".." (thunks, stubs, ..eq) is not a user method */
    const char *end = strstr(rest, "..");
    if (end && strncmp(end, "..func", 6) != 0)
        return 0;
    if (!end)
        end = rest + strlen(rest);
    const char *dot = memchr(rest, '.', (size_t)(end - rest));
    if (!dot || dot == rest || memchr(dot + 1, '.', (size_t)(end - dot - 1)))
        return 0;
    size_t rl = (size_t)(dot - rest), bl = (size_t)(end - name);
    if (rl >= rlen || bl >= blen)
        return 0;
    memcpy(recv, rest, rl);
    recv[rl] = 0;
    memcpy(base, name, bl);
    base[bl] = 0;
    return 1;
}

/* Append s to out (bounded); returns the new length. */
static size_t append(char *out, size_t o, size_t len, const char *s, size_t n)
{
    while (n-- && *s && o + 1 < len)
        out[o++] = *s++;
    return o;
}

void goname_pretty(const char *name, int ptr_recv, char *out, size_t len)
{
    size_t o = 0;
    const char *rest = after_pkg(name);
    char recv[256], base[512];
    if (!len)
        return;
    int method = ptr_recv && rest && goname_method(name, recv, sizeof recv, base, sizeof base);
    for (const char *p = name; *p && o + 1 < len;) {
        if (method && p == rest) {              /* T.m -> (*T).m */
            o = append(out, o, len, "(*", 2);
            o = append(out, o, len, recv, strlen(recv));
            o = append(out, o, len, ")", 1);
            p += strlen(recv);
            continue;
        }
        if (strncmp(p, "..func", 6) == 0) {     /* f..func1 -> f.func1 */
            out[o++] = '.';
            p += 2;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = 0;
}
