#!/bin/sh
# attach_go.sh, with the program run under the preload.
PRELOAD=$LIB
. "$(dirname "$0")/attach_go.sh"
