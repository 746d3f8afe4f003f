package e2e

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"testing"
)

// yardstickEnv, set to "1", makes the test binary run yardstickMain
// instead of its tests: the crypto/tls echo server, a process of its own
// like examples/server, so that both are measured from outside. It lives in
// a test file because only tests may import crypto/tls.
const yardstickEnv = "GLASSTLS_E2E_YARDSTICK"

func TestMain(m *testing.M) {
	if os.Getenv(yardstickEnv) == "1" {
		os.Exit(yardstickMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// yardstickMain is examples/server rebuilt on crypto/tls: the same flags
// (the subset the harness uses, -quiet too), the same certificates, the
// same log line per connection and the same io.Copy echo loop.
func yardstickMain(args []string) int {
	fs := flag.NewFlagSet("yardstick", flag.ContinueOnError)
	accept := fs.String("accept", "127.0.0.1:4433", "address to listen on")
	certFile := fs.String("cert", "", "PEM certificate chain")
	keyFile := fs.String("key", "", "PEM private key")
	dcertFile := fs.String("dcert", "", "second PEM certificate chain")
	dkeyFile := fs.String("dkey", "", "private key of -dcert")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to FILE until SIGTERM")
	quiet := fs.Bool("quiet", false, "no output per connection")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := log.New(os.Stderr, "server: ", 0)
	config := &tls.Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12}
	for _, pair := range [][2]string{{*certFile, *keyFile}, {*dcertFile, *dkeyFile}} {
		if pair[0] == "" {
			continue
		}
		cert, err := tls.LoadX509KeyPair(pair[0], pair[1])
		if err != nil {
			logger.Print(err)
			return 1
		}
		config.Certificates = append(config.Certificates, cert)
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer stopProfile()
	ln, err := tls.Listen("tcp", *accept, config)
	if err != nil {
		logger.Print(err)
		return 1
	}
	closeOnSignal(ln)
	fmt.Println("ACCEPT")
	connLogger := logger
	if *quiet {
		connLogger = log.New(io.Discard, "", 0) // as examples/server -quiet
	}

	// No waiting for connections still open at SIGTERM: the profile is
	// what must be finished.
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return 0
			}
			logger.Print(err)
			return 1
		}
		go serveYardstick(conn.(*tls.Conn), connLogger)
	}
}

func serveYardstick(conn *tls.Conn, logger *log.Logger) {
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		logger.Printf("%v: handshake failed: %v", conn.RemoteAddr(), err)
		return
	}
	state := conn.ConnectionState()
	word := "New"
	if state.DidResume {
		word = "Reused"
	}
	logger.Printf("%v: %s, TLSv1.2, Cipher is %s", conn.RemoteAddr(), word, tls.CipherSuiteName(state.CipherSuite))
	if _, err := io.Copy(conn, conn); err != nil && !errors.Is(err, net.ErrClosed) {
		logger.Printf("%v: %v", conn.RemoteAddr(), err)
	}
}

// startCPUProfile profiles into file ("" for none); the returned function
// stops and flushes it.
func startCPUProfile(file string) (func(), error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}

// closeOnSignal closes ln on SIGTERM or SIGINT, so that the accept loop
// returns and deferred work (the profile) finishes.
func closeOnSignal(ln net.Listener) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		_ = ln.Close()
	}()
}
