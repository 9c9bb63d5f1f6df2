#!/bin/sh
# git on a small repository: commits, a threaded grep, a repack (pack-objects' threads), a log. Dates and names
# are fixed so that every hash is the same from run to run.
set -e
DATA=$1
export GIT_AUTHOR_NAME=corpus GIT_AUTHOR_EMAIL=corpus@example.com GIT_COMMITTER_NAME=corpus
export GIT_COMMITTER_EMAIL=corpus@example.com GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
rm -rf repo
git init -q -b main repo
cd repo
for i in 1 2 3 4; do
    sed -n "$((i * 1000)),$((i * 1000 + 4000))p" "$DATA" > "part$i.txt"
    git add "part$i.txt"
    git commit -q -m "part $i"
done
git grep --threads=2 -c '^4242 ' | sort
git -c pack.threads=2 repack -a -d -q
git count-objects -v | grep -E '^(count|in-pack|packs):'
git log --format='%h %s'
