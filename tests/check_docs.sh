#!/bin/sh
# Every option in runtime/options.inc must be documented in README.md's option table.
cd "$(dirname "$0")/.." || exit 2
missing=0
for name in $(sed -n 's/^OPTION([A-Z]*, *\([a-z_]*\),.*/\1/p' runtime/options.inc); do
    grep -q "^| \`$name\` |" README.md || { echo "README.md: option '$name' is not documented"; missing=1; }
done
[ $missing = 0 ] && echo "docs: every option documented"
exit $missing
