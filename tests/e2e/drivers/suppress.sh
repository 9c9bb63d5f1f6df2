#!/bin/sh
# Suppressions and ignore rules: runs $BIN under several suppression files and options and prints, for each
# scenario, "NAME: exit N" and its stderr lines prefixed "NAME: ". The case names its functions with ENV lines:
# LEAK_FN (where the leaked tasks block), CREATOR_FN (who created them), MISUSE_KIND and MISUSE_FN (the misuse
# finding's kind and a function at one of its sites).
run() {
    name=$1; shift
    LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS${1:+:$1}" LD_PRELOAD="$LIB" "$BIN" > "$OUT/$name.out" 2> "$OUT/$name.err"
    echo "$name: exit $?"
    sed "s|$OUT/|OUT/|g; s|^|$name: |" "$OUT/$name.err"
}
S=$OUT/supp
printf '%s\n' "leak:$LEAK_FN" > "$S.leak"
printf '%s\n' "$MISUSE_KIND:$MISUSE_FN" > "$S.misuse"
printf '%s\n' "# known noise, see the bug tracker" "" "leak_top:$LEAK_FN" "  $MISUSE_KIND : $MISUSE_FN" > "$S.all"
printf '%s\n' "# line 1" "leak_created_by:$CREATOR_FN" "lek:foo" "$MISUSE_KIND:$MISUSE_FN" > "$S.malformed"
printf '%s\n' "leak:nomatch*" "$MISUSE_KIND:nomatch" > "$S.nomatch"

run none ""
run leak "suppressions=$S.leak"
run misuse "suppressions=$S.misuse"
run all "suppressions=$S.all"
run malformed "suppressions=$S.malformed"
run unreadable "suppressions=$S.missing"
run nomatch "suppressions=$S.nomatch"
run ignore_top "ignore_top=$LEAK_FN"
run verbose "suppressions=$S.all:verbosity=2"
# Machine formats follow the text report: a clean verdict writes no file, unless verbosity=2.
run clean-json "suppressions=$S.all:report=json:log_path=$OUT/clean"
echo "clean-json: files $(ls "$OUT" | grep -c '^clean\.')"
run clean-json-v2 "suppressions=$S.all:report=json:log_path=$OUT/clean2:verbosity=2"
echo "clean-json-v2: files $(ls "$OUT" | grep -c '^clean2\.[0-9]*\.json$')"
exit 0
