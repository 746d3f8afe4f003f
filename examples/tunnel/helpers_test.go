package main

import (
	"context"
	"io"
	"log"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/x509verify"
)

// testTimeout bounds every wait in these tests.
const testTimeout = 20 * time.Second

// logBuffer collects a tunnel's log lines, safe for concurrent use.
type logBuffer struct{ interop.LogBuffer }

// waitFor polls until the log holds n lines containing substr.
func (b *logBuffer) waitFor(t *testing.T, substr string, n int) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for strings.Count(b.String(), substr) < n {
		if time.Now().After(deadline) {
			t.Fatalf("log never had %d lines with %q:\n%s", n, substr, b.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runningTunnel is a tunnel running in-process.
type runningTunnel struct {
	addr string
	log  *logBuffer
	stop func() // cancels serve and waits for it to return
}

// startTunnel runs `tunnel args...` in-process on 127.0.0.1:0.
func startTunnel(t *testing.T, args ...string) *runningTunnel {
	t.Helper()
	logs := &logBuffer{}
	tun, err := newTunnel(args, log.New(logs, "", 0), io.Discard)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tun.serve(ctx)
	}()
	rt := &runningTunnel{addr: tun.ln.Addr().String(), log: logs}
	rt.stop = func() {
		cancel()
		select {
		case <-done:
		case <-time.After(testTimeout):
			t.Errorf("tunnel did not stop; log:\n%s", logs.String())
		}
	}
	t.Cleanup(rt.stop)
	return rt
}

func testdata(t *testing.T, name string) string {
	return filepath.Join(interop.TestdataDir(t), name)
}

// serverArgs are the tunnel server's flags with the checked-in RSA server
// certificate and the test CA, plus extra.
func serverArgs(t *testing.T, target string, extra ...string) []string {
	return append([]string{"server", "-accept", "127.0.0.1:0", "-target", target,
		"-cert", testdata(t, "server-rsa.pem"), "-key", testdata(t, "server-rsa-key.pem"),
		"-CAfile", testdata(t, "ca.pem")}, extra...)
}

// clientArgs are the tunnel client's flags presenting cert (a base name
// under dir) to target.
func clientArgs(t *testing.T, target, dir, cert string) []string {
	return []string{"client", "-accept", "127.0.0.1:0", "-target", target,
		"-cert", filepath.Join(dir, cert+".pem"), "-key", filepath.Join(dir, cert+"-key.pem"),
		"-CAfile", testdata(t, "ca.pem")}
}

// target is a plain TCP service for the tunnel to reach. handle runs per
// connection; accepted counts connections.
type target struct {
	addr     string
	accepted atomic.Int64
}

func startTarget(t *testing.T, handle func(*net.TCPConn)) *target {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	tg := &target{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			tg.accepted.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(testTimeout))
				handle(conn.(*net.TCPConn))
			}()
		}
	}()
	return tg
}

func loadPool(t *testing.T) *x509verify.Pool {
	t.Helper()
	pool, err := cli.LoadPool(testdata(t, "ca.pem"))
	require.NoError(t, err)
	return pool
}
