package main

// A real Redis (no TLS of its own) behind the tunnel server, reached by a
// plain redis-cli through the tunnel client, and by redis-cli --tls
// straight to the tunnel server. Under CI=true a missing redis-server or
// redis-cli fails these tests; .ci/run installs them.

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/internal/redistest"
)

// startRedis runs redis-server on a free loopback port with no persistence
// and returns its address.
func startRedis(t *testing.T) string {
	t.Helper()
	return redistest.Start(t).Nodes[0].Addr()
}

// redisCLI runs redis-cli against addr with args and returns its output.
func redisCLI(t *testing.T, addr string, args ...string) string {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, interop.RequireTool(t, "redis-cli"), append([]string{"-h", host, "-p", port}, args...)...)
	out, _ := cmd.CombinedOutput() // failures show in the output, which the tests check
	require.NoError(t, ctx.Err(), "redis-cli timed out")
	return strings.TrimSpace(string(out))
}

// connectionsReceived asks Redis (directly) how many connections it has
// ever accepted, the one asking included.
func connectionsReceived(t *testing.T, redisAddr string) int {
	t.Helper()
	out := redisCLI(t, redisAddr, "INFO", "stats")
	m := regexp.MustCompile(`total_connections_received:(\d+)`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

func TestRedisThroughTunnel(t *testing.T) {
	redisAddr := startRedis(t)
	server := startTunnel(t, serverArgs(t, redisAddr, "-allow-cn", "glasstls test client")...)
	client := startTunnel(t, clientArgs(t, server.addr, interop.TestdataDir(t), "client-ecdsa")...)

	// A plain redis-cli, through tunnel client and tunnel server.
	assert.Equal(t, "OK", redisCLI(t, client.addr, "SET", "greeting", "hello over mutual TLS"))
	assert.Equal(t, "hello over mutual TLS", redisCLI(t, client.addr, "GET", "greeting"))
	server.log.waitFor(t, `identity="CN=glasstls test client SAN=client.glasstls.test"`, 2)

	// redis-cli speaking TLS itself (OpenSSL) straight to the tunnel server,
	// with the RSA client certificate.
	tlsArgs := func(cert string) []string {
		args := []string{"--tls", "--cacert", testdata(t, "ca.pem")}
		if cert != "" {
			args = append(args, "--cert", cert+".pem", "--key", cert+"-key.pem")
		}
		return args
	}
	assert.Equal(t, "hello over mutual TLS", redisCLI(t, server.addr, append(tlsArgs(testdata(t, "client-rsa")), "GET", "greeting")...))
	assert.Equal(t, "OK", redisCLI(t, server.addr, append(tlsArgs(testdata(t, "client-rsa")), "SET", "k2", "v2")...))
	assert.Equal(t, "v2", redisCLI(t, client.addr, "GET", "k2"))
}

// Refused clients never reach Redis: its connection count moves only by
// the connection that asks for it.
func TestRedisRefusedClientsNeverReachRedis(t *testing.T) {
	redisAddr := startRedis(t)
	server := startTunnel(t, serverArgs(t, redisAddr, "-allow-cn", "glasstls test client")...)
	dir := t.TempDir()
	realCA, strangerCA := testIssuers(t)
	mintClient(t, dir, "untrusted", strangerCA, "glasstls test client")
	mintClient(t, dir, "mallory", realCA, "mallory")
	before := connectionsReceived(t, redisAddr)

	// No certificate: redis-cli --tls without --cert.
	out := redisCLI(t, server.addr, "--tls", "--cacert", testdata(t, "ca.pem"), "SET", "stolen", "1")
	assert.NotEqual(t, "OK", out)
	server.log.waitFor(t, "client sent no certificate", 1)

	// An untrusted certificate: redis-cli (OpenSSL sends it whatever CAs the
	// server names) gets unknown_ca.
	out = redisCLI(t, server.addr, "--tls", "--cacert", testdata(t, "ca.pem"),
		"--cert", filepath.Join(dir, "untrusted.pem"), "--key", filepath.Join(dir, "untrusted-key.pem"), "SET", "stolen", "1")
	assert.NotEqual(t, "OK", out)
	server.log.waitFor(t, "unknown_ca", 1)

	// A trusted certificate whose CN is not allowed, through a tunnel client.
	mallory := startTunnel(t, clientArgs(t, server.addr, dir, "mallory")...)
	out = redisCLI(t, mallory.addr, "SET", "stolen", "1")
	assert.NotEqual(t, "OK", out)
	server.log.waitFor(t, "CN=mallory SAN=mallory.glasstls.test is not allowed", 1)

	// redis-cli tries a failed connection twice, so count lines, not attempts:
	// every connection the tunnel server saw was refused.
	logs := server.log.String()
	assert.GreaterOrEqual(t, strings.Count(logs, "refused: "), 3, logs)
	assert.Equal(t, strings.Count(logs, "peer="), strings.Count(logs, "refused: "), logs)
	assert.Equal(t, before+1, connectionsReceived(t, redisAddr), "only our own INFO connection reached Redis")
	assert.Equal(t, "", redisCLI(t, redisAddr, "GET", "stolen"), "nothing was written")
}
