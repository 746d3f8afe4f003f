package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/examples/fleet/redisfleet"
	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/internal/redistest"
)

// testTimeout bounds every wait in these tests.
const testTimeout = 20 * time.Second

// testdata is the main module's testdata (this module's replace points
// at ../.., so it is always there).
func testdata(t testing.TB, name string) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", name))
	require.NoError(t, err)
	return dir
}

// logBuffer collects a member's log lines, safe for concurrent use.
type logBuffer struct{ interop.LogBuffer }

// waitFor polls until the log holds substr.
func (b *logBuffer) waitFor(t testing.TB, substr string) {
	t.Helper()
	waitUntil(t, func() bool { return strings.Contains(b.String(), substr) }, "log never had %q:\n%s", substr, b)
}

// waitUntil polls cond until it holds or testTimeout passes.
func waitUntil(t testing.TB, cond func() bool, format string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf(format, args...)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// writeFleetKey writes a new random fleet key to a file and returns its path.
func writeFleetKey(t testing.TB) string {
	t.Helper()
	var key [redisfleet.FleetKeySize]byte
	_, err := rand.Read(key[:])
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "fleet.key")
	require.NoError(t, os.WriteFile(file, []byte(hex.EncodeToString(key[:])+"\n"), 0o600))
	return file
}

// fleet is the Redis and fleet key some members share, under a prefix of
// the test's own, so tests can share one Redis.
type fleet struct {
	redis   *redistest.Redis
	keyFile string
	prefix  string
}

func newFleet(t testing.TB, r *redistest.Redis) *fleet {
	name := strings.NewReplacer("/", ":", " ", "_").Replace(t.Name())
	return &fleet{redis: r, keyFile: writeFleetKey(t), prefix: "glasstls-test:" + name + ":"}
}

// args are the flags every member of f takes; extra come after them (a
// later -redis-timeout wins). The timeout here is ten times the default:
// these tests are about what resumes where, and a loaded test machine
// with the race detector can miss 50 ms. The outage test sets the default.
func (f *fleet) args(t testing.TB, extra ...string) []string {
	return append([]string{"-redis", f.redis.Flag(), "-fleet-key", f.keyFile, "-redis-prefix", f.prefix,
		"-redis-timeout", "500ms",
		"-accept", "127.0.0.1:0", "-cert", testdata(t, "server-rsa.pem"), "-key", testdata(t, "server-rsa-key.pem")}, extra...)
}

// client is a go-redis client of f's Redis, for looking inside.
func (f *fleet) client(t testing.TB) redis.UniversalClient {
	c := redisfleet.NewClient(redisfleet.ClientOptions{Addrs: f.redis.Addrs()})
	t.Cleanup(func() { c.Close() })
	return c
}

// values returns every key under f's prefix with its value, from every
// master of a cluster.
func (f *fleet) values(t testing.TB) map[string][]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	values := map[string][]byte{}
	var mu sync.Mutex
	scan := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, f.prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			value, err := c.Get(ctx, iter.Val()).Bytes()
			if err != nil {
				return err
			}
			mu.Lock()
			values[iter.Val()] = value
			mu.Unlock()
		}
		return iter.Err()
	}
	switch c := f.client(t).(type) {
	case *redis.ClusterClient:
		require.NoError(t, c.ForEachMaster(ctx, scan))
	case *redis.Client:
		require.NoError(t, scan(ctx, c))
	default:
		t.Fatalf("unexpected client %T", c)
	}
	return values
}

// runningMember is a fleet member running in-process.
type runningMember struct {
	m    *member
	addr string
	log  *logBuffer
	stop func()
}

// startMember runs `fleet args...` in-process.
func startMember(t testing.TB, args ...string) *runningMember {
	t.Helper()
	logs := &logBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	m, err := newMember(ctx, args, log.New(logs, "", 0), logs)
	if err != nil {
		cancel()
		t.Fatalf("newMember: %v\n%s", err, logs)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = m.serve(ctx)
	}()
	rm := &runningMember{m: m, addr: m.ln.Addr().String(), log: logs}
	var once sync.Once
	rm.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(testTimeout):
				t.Errorf("member did not stop; log:\n%s", logs)
			}
		})
	}
	t.Cleanup(rm.stop)
	return rm
}

func (rm *runningMember) port() int { return rm.m.ln.Addr().(*net.TCPAddr).Port }

// clientConfig trusts the test CA; the server certificate names localhost.
func clientConfig(t testing.TB) *handshake.Config {
	t.Helper()
	roots, err := cli.LoadPool(testdata(t, "ca.pem"))
	require.NoError(t, err)
	return &handshake.Config{RootCAs: roots, ServerName: "localhost"}
}

// resumingClient is a client config with a session cache of its own.
func resumingClient(t testing.TB, ticketsDisabled bool) (*handshake.Config, *session.LRUClientCache) {
	config := clientConfig(t)
	cache := session.NewLRUClientCache(0)
	config.ClientSessionCache = cache
	config.SessionTicketsDisabled = ticketsDisabled
	return config, cache
}

// connect runs one handshake and one echo with the member at addr.
func connect(addr string, config *handshake.Config) (handshake.ConnectionState, error) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	conn, err := (&handshake.Dialer{Config: config}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return handshake.ConnectionState{}, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(testTimeout))
	tlsConn := conn.(*handshake.Conn)
	if _, err := tlsConn.Write([]byte("ping\n")); err != nil {
		return handshake.ConnectionState{}, err
	}
	reply := make([]byte, 5)
	if _, err := tlsConn.Read(reply); err != nil {
		return handshake.ConnectionState{}, fmt.Errorf("echo: %w", err)
	}
	return tlsConn.ConnectionState(), nil
}

// mustConnect is connect that fails the test on error.
func mustConnect(t testing.TB, addr string, config *handshake.Config) handshake.ConnectionState {
	t.Helper()
	state, err := connect(addr, config)
	require.NoError(t, err, "handshake with %s", addr)
	return state
}
