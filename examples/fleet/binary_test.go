package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/internal/redistest"
)

// The real program, as the README runs it: two members as processes on one
// Redis, s_client resuming on B the session it made on A, the rotate
// command, and SIGTERM.
func TestFleetBinary(t *testing.T) {
	goTool := interop.RequireTool(t, "go")
	bin := filepath.Join(t.TempDir(), "fleet")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))

	f := newFleet(t, redistest.Start(t))
	var members []*interop.Process
	var ports []int
	for range 2 {
		port := interop.FreePort(t)
		args := f.args(t, "-no_ticket")
		for i := range args {
			if args[i] == "127.0.0.1:0" {
				args[i] = fmt.Sprintf("127.0.0.1:%d", port)
			}
		}
		p := interop.StartProcess(t, bin, args...)
		require.NoError(t, p.WaitFor("ACCEPT", testTimeout))
		members, ports = append(members, p), append(ports, port)
	}

	sess := filepath.Join(t.TempDir(), "sess.pem")
	args := []string{"-CAfile", testdata(t, "ca.pem"), "-verify_return_error", "-no_ticket"}
	out2, err := interop.RunOpenSSLClient(t, ports[0], "", testTimeout, append(args, "-sess_out", sess)...)
	require.NoError(t, err, out2)
	out2, err = interop.RunOpenSSLClient(t, ports[1], "", testTimeout, append(args, "-sess_in", sess)...)
	require.NoError(t, err, out2)
	assert.Contains(t, out2, "Reused, TLSv1.2")

	rotate := exec.Command(bin, "rotate-ticket-key", "-redis", f.redis.Flag(), "-fleet-key", f.keyFile, "-redis-prefix", f.prefix)
	out, err = rotate.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Regexp(t, `^[0-9a-f]{32} seals created `, string(out))
	assert.Equal(t, 1, strings.Count(string(out), "\n"), "a new ring of one key:\n%s", out)

	for _, p := range members {
		require.NoError(t, syscall.Kill(p.Pid(), syscall.SIGTERM))
		require.NoError(t, p.Wait(testTimeout), "exit status 0 after SIGTERM; output:\n%s", p.Output())
	}
	assert.Contains(t, members[1].Output(), "Reused, TLSv1.2")
	assert.NotContains(t, members[1].Output(), "redis: ", "go-redis's own log is quiet")
}
