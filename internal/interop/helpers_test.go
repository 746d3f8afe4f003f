package interop

import (
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTestdataDir(t *testing.T) {
	dir := TestdataDir(t)
	assert.True(t, filepath.IsAbs(dir), dir)
	assert.Equal(t, "testdata", filepath.Base(dir))
	_, err := os.Stat(filepath.Join(filepath.Dir(dir), "go.mod"))
	assert.NoError(t, err, "testdata's parent must be the module root")
	_, err = os.Stat(filepath.Join(dir, "ca.pem"))
	assert.NoError(t, err)
}

func TestFreePortIsBindableOnLoopback(t *testing.T) {
	seen := map[int]bool{}
	for range 3 {
		port := FreePort(t)
		require.Greater(t, port, 0)
		l, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(port))
		require.NoError(t, err)
		seen[port] = true
		// Held open so the next FreePort must pick a different port.
		t.Cleanup(func() { _ = l.Close() })
	}
	assert.Len(t, seen, 3)
}

// fakeTB records how RequireTool ends a test without ending the real one.
// Fatalf and Skipf stop the calling goroutine, as the real ones do.
type fakeTB struct {
	testing.TB
	mu              sync.Mutex
	failed, skipped bool
	msg             string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.failed, f.msg = true, format
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.mu.Lock()
	f.skipped, f.msg = true, format
	f.mu.Unlock()
	runtime.Goexit()
}

// runRequireTool calls RequireTool on a fakeTB in its own goroutine, since
// a stopped test stops its goroutine.
func runRequireTool(t *testing.T, name string) (path string, f *fakeTB) {
	f = &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		path = RequireTool(f, name)
	}()
	<-done
	return path, f
}

func TestRequireTool(t *testing.T) {
	const missing = "glasstls-no-such-tool-7f3a"
	tests := []struct {
		name        string
		tool        string
		ci          string
		wantFound   bool
		wantFailed  bool
		wantSkipped bool
	}{
		{"present", "sh", "true", true, false, false},
		{"missing locally skips", missing, "", false, false, true},
		{"missing with CI=false skips", missing, "false", false, false, true},
		{"missing under CI fails", missing, "true", false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			path, f := runRequireTool(t, tt.tool)
			assert.Equal(t, tt.wantFound, path != "", "path %q", path)
			assert.Equal(t, tt.wantFailed, f.failed)
			assert.Equal(t, tt.wantSkipped, f.skipped)
			if tt.wantFailed || tt.wantSkipped {
				assert.Contains(t, f.msg, "%s")
			}
		})
	}
}

func TestSyncBufferCapsOutput(t *testing.T) {
	b := newSyncBuffer()
	chunk := []byte(strings.Repeat("x", 1<<20))
	for range maxCaptured/len(chunk) + 2 {
		n, err := b.Write(chunk)
		require.NoError(t, err)
		require.Equal(t, len(chunk), n)
	}
	out := b.String()
	assert.LessOrEqual(t, len(out), maxCaptured+100)
	assert.True(t, strings.HasSuffix(out, "[interop: output truncated]\n"))
}
