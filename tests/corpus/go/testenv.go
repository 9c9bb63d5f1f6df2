// Package testenv stands in for the standard library's internal/testenv, which the standard tests import and
// a module outside GOROOT cannot: the few functions the sync and time tests call.
package testenv

import (
	"runtime"
	"testing"
)

// MustHaveExec skips: the corpus runs no test that starts subprocesses of its own.
func MustHaveExec(t testing.TB) { t.Skip("subprocesses are not run here") }

// SkipFlaky skips, as the standard one does.
func SkipFlaky(t testing.TB, issue int) { t.Skipf("flaky (Go issue %d)", issue) }

// GOROOT is the toolchain's root.
func GOROOT(t testing.TB) string { return runtime.GOROOT() }
