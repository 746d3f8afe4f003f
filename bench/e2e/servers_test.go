package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

// Who is measured: the server programs, by the names the tables use.
const (
	glassServer   = "glasstls"
	goServer      = "crypto/tls"
	opensslServer = "openssl"
)

// serverStartTimeout bounds how long a server may take to print ACCEPT.
const serverStartTimeout = 30 * time.Second

// server is one running server program.
type server struct {
	name    string
	addr    string
	proc    *interop.Process
	profile string // CPU profile file, if asked for
}

// rssBytes is the server's resident set size, from /proc (Linux).
func (s *server) rssBytes(t testing.TB) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.proc.Pid()))
	require.NoError(t, err)
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			require.NoError(t, err)
			return kb * 1024
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", s.proc.Pid())
	return 0
}

// cpuNanos is the CPU time the server's threads have used so far, from
// /proc/PID/task/*/schedstat (Linux; nanoseconds, where /proc/PID/stat
// counts 10 ms ticks). On a loaded machine a server's CPU time per
// operation moves far less than its operations per second.
func (s *server) cpuNanos() int64 {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", s.proc.Pid()))
	var total int64
	for _, task := range tasks {
		data, err := os.ReadFile(task)
		if err != nil {
			continue // a thread that just exited
		}
		fields := strings.Fields(string(data))
		if len(fields) > 0 {
			n, _ := strconv.ParseInt(fields[0], 10, 64)
			total += n
		}
	}
	return total
}

// stop ends the server: SIGTERM first, so that a Go server with
// -cpuprofile writes its profile, then a kill.
func (s *server) stop() {
	if s.profile != "" && !s.proc.Exited() {
		if p, err := os.FindProcess(s.proc.Pid()); err == nil {
			_ = p.Signal(syscall.SIGTERM)
			_ = s.proc.Wait(10 * time.Second)
		}
	}
	s.proc.Stop()
}

// programs knows how to start each server: paths to the certificates, the
// examples/server binary and the test binary (the crypto/tls yardstick).
type programs struct {
	testdata   string
	glassBin   string
	profileDir string
	goProcs    int // GOMAXPROCS for the Go servers; 0: theirs by default
}

// buildPrograms builds examples/server (without -race, whatever this test
// binary was built with) into a temporary directory.
func buildPrograms(t testing.TB, profileDir string) *programs {
	t.Helper()
	root := filepath.Join(interop.TestdataDir(t), "..")
	bin := filepath.Join(t.TempDir(), "glasstls-server")
	cmd := exec.Command("go", "build", "-o", bin, "./examples/server")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build ./examples/server: %s", out)
	return &programs{testdata: interop.TestdataDir(t), glassBin: bin, profileDir: profileDir}
}

func (p *programs) certArgs() []string {
	return []string{
		"-cert", filepath.Join(p.testdata, "server-rsa.pem"), "-key", filepath.Join(p.testdata, "server-rsa-key.pem"),
		"-dcert", filepath.Join(p.testdata, "server-ecdsa.pem"), "-dkey", filepath.Join(p.testdata, "server-ecdsa-key.pem"),
	}
}

// start runs one server on a free loopback port with both certificates
// (RSA-2048 and ECDSA P-256; the client's cipher suite picks one), and
// waits until it listens. It retries on a port taken in between.
func (p *programs) start(t testing.TB, name string) *server {
	t.Helper()
	var lastOutput string
	for attempt := range 3 {
		port := interop.FreePort(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		s := &server{name: name, addr: addr}
		if p.profileDir != "" && name != opensslServer {
			s.profile = filepath.Join(p.profileDir, fmt.Sprintf("%s-%d-%d.pprof", strings.ReplaceAll(name, "/", ""), time.Now().UnixNano(), attempt))
		}
		var program string
		var args []string
		// All three run -quiet: no line per connection for this process to
		// read from their output while it measures them.
		switch name {
		case glassServer:
			program, args = p.glassBin, append([]string{"-accept", addr, "-quiet"}, p.certArgs()...)
		case goServer:
			exe, err := os.Executable()
			require.NoError(t, err)
			program, args = exe, append([]string{"-accept", addr, "-quiet"}, p.certArgs()...)
		case opensslServer:
			// s_server echoes nothing by itself: it prints what the client
			// sends and writes its own stdin (kept open, never written) to
			// the client. It runs the handshake cases only. -quiet: no
			// session report per connection.
			program = interop.RequireOpenSSL(t)
			args = append([]string{"s_server", "-accept", addr, "-tls1_2", "-quiet"}, p.certArgs()...)
		default:
			t.Fatalf("unknown server %q", name)
		}
		if s.profile != "" {
			args = append(args, "-cpuprofile", s.profile)
		}
		env := map[string]string{}
		if name == goServer {
			env[yardstickEnv] = "1"
		}
		if name != opensslServer && p.goProcs > 0 {
			env["GOMAXPROCS"] = strconv.Itoa(p.goProcs)
		}
		withEnv(env, func() { s.proc = interop.StartProcess(t, program, args...) })
		t.Cleanup(s.stop)
		var err error
		if name == opensslServer {
			err = waitListening(s, serverStartTimeout) // -quiet hides its ACCEPT
		} else {
			err = s.proc.WaitFor("ACCEPT", serverStartTimeout)
		}
		if err == nil {
			return s
		}
		s.stop()
		lastOutput = err.Error()
		if !strings.Contains(lastOutput, "in use") {
			break
		}
	}
	t.Fatalf("%s did not start: %s", name, lastOutput)
	return nil
}

// waitListening waits until s accepts a TCP connection, or its process
// exits, or timeout passes.
func waitListening(s *server, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err == nil {
			return conn.Close()
		}
		if s.proc.Exited() || time.Now().After(deadline) {
			return fmt.Errorf("%s does not listen on %s: %v; output:\n%s", s.name, s.addr, err, s.proc.Output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readFile(name string) (string, error) {
	data, err := os.ReadFile(name)
	return string(data), err
}

// withEnv runs start with vars set in this process's environment, for the
// child it starts to inherit, and then puts every variable back as it was.
func withEnv(vars map[string]string, start func()) {
	for k, v := range vars {
		old, had := os.LookupEnv(k)
		os.Setenv(k, v)
		defer func() {
			if had {
				os.Setenv(k, old)
			} else {
				os.Unsetenv(k)
			}
		}()
	}
	start()
}
