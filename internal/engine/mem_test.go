package engine

import (
	"os"
	"runtime"
	"testing"
)

type testingMem struct{ bytes uint64 }

// read measures the bytes f allocates.
func (m *testingMem) read(tb testing.TB, f func()) {
	tb.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	m.bytes = after.TotalAlloc - before.TotalAlloc
}

func writeFile(tb testing.TB, path, body string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
}
