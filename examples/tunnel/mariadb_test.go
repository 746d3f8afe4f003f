package main

// A real MariaDB server (MySQL's protocol, no TLS of its own) behind the
// tunnel server, reached by the plain mariadb client through the tunnel
// client: the tutorial's "MySQL behind a mutually authenticated tunnel".
// Under CI=true a missing mariadbd or mariadb fails these tests; .ci/run
// installs mariadb-server and mariadb-client.

import (
	"context"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/interop"
)

// mariadbStartTimeout bounds the server's start: InnoDB makes its files
// on first start, which takes seconds on a busy disk.
const mariadbStartTimeout = 90 * time.Second

// mariadbServer is a MariaDB server started by a test.
type mariadbServer struct {
	addr   string // 127.0.0.1:port
	socket string // its Unix socket: the test's own way in, not through the tunnel
}

// startMariaDB runs mariadbd on a fresh data directory, on a free loopback
// port (bound to 127.0.0.1 only: reachable only through the tunnel from
// elsewhere). It runs without grant tables, so it needs no
// mariadb-install-db (some 20 s here): any user name gets in, which is
// the point of the tunnel in front of it. mariadbd refuses to run as root
// unless told to, so it is told to run as whoever runs the test.
func startMariaDB(t *testing.T) *mariadbServer {
	t.Helper()
	mariadbd := requireMariaDBServer(t)
	interop.RequireTool(t, "mariadb")
	me, err := user.Current()
	require.NoError(t, err)
	// The socket path must fit in sun_path (108 bytes): a short temp dir.
	dir, err := os.MkdirTemp("", "glasstls-mariadb-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Mkdir(filepath.Join(dir, "data"), 0o700))
	port := strconv.Itoa(interop.FreePort(t))
	socket := filepath.Join(dir, "mysqld.sock")
	p := interop.StartProcess(t, mariadbd, "--no-defaults",
		"--user="+me.Username,
		"--datadir="+filepath.Join(dir, "data"),
		"--socket="+socket,
		"--pid-file="+filepath.Join(dir, "mysqld.pid"),
		"--port="+port, "--bind-address=127.0.0.1",
		"--skip-name-resolve", "--skip-grant-tables",
		"--innodb-buffer-pool-size=16M", "--skip-log-bin")
	if err := p.WaitFor("ready for connections", mariadbStartTimeout); err != nil {
		t.Fatalf("mariadbd did not start: %v\n%s", err, p.Output())
	}
	return &mariadbServer{addr: "127.0.0.1:" + port, socket: socket}
}

// requireMariaDBServer finds mariadbd, which Debian installs in /usr/sbin
// (not in every user's PATH).
func requireMariaDBServer(t *testing.T) string {
	t.Helper()
	if path, err := exec.LookPath("mariadbd"); err == nil {
		return path
	}
	if _, err := os.Stat("/usr/sbin/mariadbd"); err == nil {
		return "/usr/sbin/mariadbd"
	}
	return interop.RequireTool(t, "mariadbd") // fails under CI=true, skips otherwise
}

// mariadb runs the mariadb client with args and returns its output and
// whether it succeeded. -N -B: no column names, tab-separated.
func mariadb(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, interop.RequireTool(t, "mariadb"),
		append([]string{"--no-defaults", "-N", "-B", "--connect-timeout=10"}, args...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "mariadb timed out: %s", out)
	return strings.TrimSpace(string(out)), err == nil
}

// viaTCP connects to addr over TCP, as a user the server does not check.
func viaTCP(addr string) []string {
	host, port, _ := net.SplitHostPort(addr)
	return []string{"--protocol=TCP", "-h", host, "-P", port, "-u", "glasstls"}
}

// connections asks MariaDB over its Unix socket how many connections it
// has ever accepted (the one asking included).
func (m *mariadbServer) connections(t *testing.T) int {
	t.Helper()
	out, ok := mariadb(t, "-S", m.socket, "-u", "root", "-e", "SHOW GLOBAL STATUS LIKE 'Connections'")
	require.True(t, ok, out)
	fields := strings.Fields(out)
	require.Len(t, fields, 2, out)
	n, err := strconv.Atoi(fields[1])
	require.NoError(t, err, out)
	return n
}

func TestMariaDBThroughTunnel(t *testing.T) {
	db := startMariaDB(t)
	server := startTunnel(t, serverArgs(t, db.addr, "-allow-cn", "glasstls test client")...)
	client := startTunnel(t, clientArgs(t, server.addr, interop.TestdataDir(t), "client-ecdsa")...)

	out, ok := mariadb(t, append(viaTCP(client.addr), "-e",
		"CREATE DATABASE tunnel; CREATE TABLE tunnel.greetings (msg TEXT);"+
			" INSERT INTO tunnel.greetings VALUES ('hello over mutual TLS');"+
			" SELECT msg FROM tunnel.greetings")...)
	require.True(t, ok, out)
	assert.Equal(t, "hello over mutual TLS", out)
	// A second connection, another query: the tunnel client resumes.
	out, ok = mariadb(t, append(viaTCP(client.addr), "-e", "SELECT COUNT(*), @@version LIKE '%MariaDB%' FROM tunnel.greetings")...)
	require.True(t, ok, out)
	assert.Equal(t, "1\t1", out)
	server.log.waitFor(t, `identity="CN=glasstls test client SAN=client.glasstls.test"`, 2)
	server.log.waitFor(t, "resumed=true", 1)
}

// Refused clients never reach MariaDB: its connection count moves only by
// the connections the test itself makes over the Unix socket.
func TestMariaDBRefusedClientsNeverReachIt(t *testing.T) {
	db := startMariaDB(t)
	server := startTunnel(t, serverArgs(t, db.addr, "-allow-cn", "glasstls test client")...)
	dir := t.TempDir()
	realCA, strangerCA := testIssuers(t)
	mintClient(t, dir, "untrusted", strangerCA, "glasstls test client")
	mintClient(t, dir, "mallory", realCA, "mallory")
	before := db.connections(t)

	// No certificate, and an untrusted one sent whatever CAs the server
	// asks for (as OpenSSL does; a glasstls client would send none): each
	// from a TLS client in the test. MySQL's server speaks first, so a
	// client let through would read its greeting; these get an alert.
	untrusted, err := handshake.LoadX509KeyPair(filepath.Join(dir, "untrusted.pem"), filepath.Join(dir, "untrusted-key.pem"))
	require.NoError(t, err)
	for name, config := range map[string]*handshake.Config{
		"no certificate": {RootCAs: loadPool(t), ServerName: "localhost"},
		"untrusted": {RootCAs: loadPool(t), ServerName: "localhost",
			GetClientCertificate: func(*handshake.CertificateRequestInfo) (*handshake.Certificate, error) { return &untrusted, nil }},
	} {
		raw, err := net.DialTimeout("tcp", server.addr, testTimeout)
		require.NoError(t, err)
		conn := handshake.Client(raw, config)
		require.NoError(t, conn.SetDeadline(time.Now().Add(testTimeout)))
		_, err = conn.Read(make([]byte, 64))
		assert.Error(t, err, "%s: read from the database", name)
		conn.Close()
	}
	server.log.waitFor(t, "client sent no certificate", 1)
	server.log.waitFor(t, "unknown_ca", 1)

	// A trusted certificate whose CN is not allowed, through a tunnel
	// client, with the real mariadb client behind it.
	mallory := startTunnel(t, clientArgs(t, server.addr, dir, "mallory")...)
	out, ok := mariadb(t, append(viaTCP(mallory.addr), "-e", "CREATE DATABASE stolen")...)
	assert.False(t, ok, "mallory got through: %s", out)
	server.log.waitFor(t, "CN=mallory SAN=mallory.glasstls.test is not allowed", 1)

	logs := server.log.String()
	assert.GreaterOrEqual(t, strings.Count(logs, "refused: "), 3, logs)
	assert.Equal(t, strings.Count(logs, "peer="), strings.Count(logs, "refused: "), "every connection was refused:\n%s", logs)
	assert.Equal(t, before+1, db.connections(t), "only our own status query reached MariaDB")
	out, ok = mariadb(t, "-S", db.socket, "-u", "root", "-e", "SHOW DATABASES LIKE 'stolen'")
	require.True(t, ok, out)
	assert.Equal(t, "", out, "nothing was created")
}
