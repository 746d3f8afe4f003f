package interop

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProcessWaitFor(t *testing.T) {
	sh := RequireTool(t, "sh")
	tests := []struct {
		name      string
		script    string
		substr    string
		timeout   time.Duration
		wantErr   string
		maxWait   time.Duration
		wantAlive bool
	}{
		{"stdout", "echo ready; exec sleep 30", "ready", 10 * time.Second, "", 5 * time.Second, true},
		{"stderr", "echo oops >&2; exec sleep 30", "oops", 10 * time.Second, "", 5 * time.Second, true},
		{"exits first", "echo bye; exit 3", "ready", 30 * time.Second, "exited", 10 * time.Second, false},
		{"timeout", "exec sleep 30", "ready", 300 * time.Millisecond, "did not print", 5 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := StartProcess(t, sh, "-c", tt.script)
			start := time.Now()
			err := p.WaitFor(tt.substr, tt.timeout)
			assert.Less(t, time.Since(start), tt.maxWait)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			}
			assert.Equal(t, tt.wantAlive, !p.Exited())
		})
	}
}

func TestProcessStopKillsAndIsIdempotent(t *testing.T) {
	p := StartProcess(t, RequireTool(t, "sleep"), "60")
	require.False(t, p.Exited())
	start := time.Now()
	p.Stop()
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.True(t, p.Exited())
	p.Stop() // must neither block nor panic
	assert.Error(t, p.Wait(time.Second), "a killed process has a non-zero status")
}

func TestProcessStdin(t *testing.T) {
	p := StartProcess(t, RequireTool(t, "cat"))
	_, err := io.WriteString(p.Stdin(), "ping from stdin\n")
	require.NoError(t, err)
	require.NoError(t, p.WaitFor("ping from stdin", 10*time.Second))
	require.NoError(t, p.Stdin().Close())
	assert.NoError(t, p.Wait(10*time.Second), "cat exits cleanly at EOF")
	assert.Equal(t, "ping from stdin\n", p.Output())
}

func TestProcessWaitTimesOutWithoutKilling(t *testing.T) {
	p := StartProcess(t, RequireTool(t, "sleep"), "60")
	err := p.Wait(100 * time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "still running")
	assert.False(t, p.Exited())
}
