package interop

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// serverStartTimeout bounds how long s_server may take to start listening.
const serverStartTimeout = 15 * time.Second

// StartOpenSSLServer runs
//
//	openssl s_server -accept 127.0.0.1:PORT args...
//
// on a free port, waits until it prints "ACCEPT" (it is listening), and
// returns the process and the port. The server is stopped when the test
// ends. args typically name -cert/-key (see TestdataDir) and a protocol
// option such as -tls1_2; -www makes it answer "GET /" with a status page.
// If another process grabs the port between FreePort and bind, it retries
// on a new port.
func StartOpenSSLServer(t testing.TB, args ...string) (*Process, int) {
	t.Helper()
	openssl := RequireOpenSSL(t)
	const attempts = 3
	var lastErr error
	for range attempts {
		port := FreePort(t)
		full := append([]string{"s_server", "-accept", "127.0.0.1:" + strconv.Itoa(port)}, args...)
		p, err := startProcess(openssl, full...)
		if err != nil {
			t.Fatalf("interop: %v", err)
		}
		t.Cleanup(p.Stop)
		err = p.WaitFor("ACCEPT", serverStartTimeout)
		if err == nil {
			return p, port
		}
		p.Stop()
		lastErr = err
		if !strings.Contains(p.Output(), "in use") {
			break // not a port race: retrying will not help
		}
	}
	t.Fatalf("interop: openssl s_server did not start: %v", lastErr)
	return nil, 0
}

// RunOpenSSLClient runs
//
//	openssl s_client -connect 127.0.0.1:PORT args...
//
// with stdin as its standard input and returns what it printed. The result
// holds stdout and stderr interleaved, because s_client reports
// verification results and its -brief summary on stderr. The run is killed
// after timeout, so it can never hang a test.
//
// s_client reads stdin only after the handshake and, unless -ign_eof is
// given, shuts the connection down at EOF; pass -ign_eof to wait for the
// server's reply and close instead.
//
// err is non-nil if s_client exits with a non-zero status (for example a
// failed handshake with -verify_return_error) or the timeout strikes.
func RunOpenSSLClient(t testing.TB, port int, stdin string, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	openssl := RequireOpenSSL(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	full := append([]string{"s_client", "-connect", "127.0.0.1:" + strconv.Itoa(port)}, args...)
	cmd := exec.CommandContext(ctx, openssl, full...)
	out := newSyncBuffer()
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return out.String(), fmt.Errorf("interop: openssl s_client timed out after %v: %w", timeout, ctx.Err())
	}
	if err != nil {
		return out.String(), fmt.Errorf("interop: openssl s_client: %w", err)
	}
	return out.String(), nil
}
