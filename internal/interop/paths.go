package interop

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago. The
// kernel picks it; the listener is closed before returning, so another
// process may take it in between: callers that start servers on it should
// retry on "address in use" (StartOpenSSLServer does).
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("interop: finding a free port: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		t.Fatalf("interop: releasing port %d: %v", port, err)
	}
	return port
}

// TestdataDir returns the absolute path of the repository's top-level
// testdata directory. It walks up from the working directory (which go test
// sets to the package's directory) to the directory holding go.mod, so it
// works from any package in the module.
func TestdataDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("interop: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			td := filepath.Join(dir, "testdata")
			if fi, err := os.Stat(td); err != nil || !fi.IsDir() {
				t.Fatalf("interop: module root %s has no testdata directory", dir)
			}
			return td
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("interop: no go.mod above the working directory")
		}
		dir = parent
	}
}
