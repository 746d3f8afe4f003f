// Command tunnel puts mutual TLS in front of a plaintext TCP service, in the
// manner of stunnel or ghostunnel. It has two halves:
//
//	tunnel server -accept ADDR -target ADDR -cert F -key F -CAfile F [-allow-cn NAME]... [-allow-san NAME]...
//	tunnel client -accept ADDR -target ADDR -cert F -key F -CAfile F [-servername NAME]
//
// The server terminates TLS, demands a client certificate that verifies
// against -CAfile (RFC 5246, 7.4.4 and 7.4.6), optionally checks the
// certificate's subject CN or subjectAltNames against the -allow lists, and
// only then opens a plain connection to -target: a refused client never
// reaches the service. The client accepts plain connections and carries each
// over mutual TLS to -target, presenting -cert and checking the server's
// certificate against -CAfile.
//
// Example, with Redis on 127.0.0.1:6379 (from the module root):
//
//	go run ./examples/tunnel server -accept 127.0.0.1:6380 -target 127.0.0.1:6379 \
//	    -cert testdata/server-rsa.pem -key testdata/server-rsa-key.pem -CAfile testdata/ca.pem \
//	    -allow-cn "glasstls test client"
//	go run ./examples/tunnel client -accept 127.0.0.1:7000 -target 127.0.0.1:6380 \
//	    -cert testdata/client-ecdsa.pem -key testdata/client-ecdsa-key.pem -CAfile testdata/ca.pem
//	redis-cli -p 7000 PING
//
// Each connection gets one log line when it ends: who, how many bytes each
// way, and why it ended. SIGINT or SIGTERM stops accepting, closes the open
// connections and exits with status 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
)

func main() {
	logger := log.New(os.Stderr, "", log.LstdFlags)
	t, err := newTunnel(os.Args[1:], logger, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tunnel:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t.serve(ctx)
}

const usage = `usage:
  tunnel server -accept ADDR -target ADDR -cert F -key F -CAfile F [-verify_profile compat|rfc5280|webpki] [-allow-cn NAME]... [-allow-san NAME]...
  tunnel client -accept ADDR -target ADDR -cert F -key F -CAfile F [-verify_profile compat|rfc5280|webpki] [-servername NAME]`

// listFlag is a flag that may be given many times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// newTunnel parses the command line (the subcommand first), loads the
// certificates and starts listening. Flag errors and usage go to output.
func newTunnel(args []string, logger *log.Logger, output io.Writer) (*tunnel, error) {
	if len(args) == 0 || (args[0] != "server" && args[0] != "client") {
		fmt.Fprintln(output, usage)
		return nil, errors.New("the first argument must be server or client")
	}
	mode := args[0]
	fs := flag.NewFlagSet("tunnel "+mode, flag.ContinueOnError)
	fs.SetOutput(output)
	accept := fs.String("accept", "", "address to listen on (host:port)")
	target := fs.String("target", "", "address to forward each connection to (host:port)")
	certFile := fs.String("cert", "", "PEM certificate chain to present")
	keyFile := fs.String("key", "", "PEM private key of -cert")
	caFile := fs.String("CAfile", "", "PEM CA certificates trusted for the peer's certificate")
	verifyProfile := cli.RegisterVerifyProfileFlagOn(fs)
	var allowCN, allowSAN listFlag
	serverName := new(string)
	if mode == "server" {
		fs.Var(&allowCN, "allow-cn", "accept only clients whose certificate subject CN is NAME (repeatable)")
		fs.Var(&allowSAN, "allow-san", "accept only clients whose certificate has subjectAltName NAME (repeatable)")
	} else {
		serverName = fs.String("servername", "", "name to send (SNI) and verify in the server's certificate (default: host of -target)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, f := range []struct{ name, value string }{{"-accept", *accept}, {"-target", *target}, {"-cert", *certFile}, {"-key", *keyFile}, {"-CAfile", *caFile}} {
		if f.value == "" {
			return nil, fmt.Errorf("%s is required", f.name)
		}
	}

	cert, err := handshake.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		return nil, err
	}
	pool, err := cli.LoadPool(*caFile)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", *accept)
	if err != nil {
		return nil, err
	}
	t := &tunnel{name: "tunnel " + mode, log: logger, target: *target}
	if mode == "server" {
		config := serverConfig(cert, pool, allowCN, allowSAN)
		config.VerifyProfile = verifyProfile.Profile
		t.ln = handshake.NewListener(ln, config)
		t.handle = t.handleServerConn
	} else {
		name := *serverName
		if name == "" {
			if name, _, err = net.SplitHostPort(*target); err != nil {
				ln.Close()
				return nil, fmt.Errorf("-target: %w", err)
			}
		}
		t.ln = ln
		t.clientConfig = &handshake.Config{Certificates: []handshake.Certificate{cert}, RootCAs: pool, ServerName: name,
			// Every local connection is a new TLS connection to the same
			// server: resuming the session skips the public-key work and
			// the certificates (RFC 5246, 7.3 Figure 2). The server still
			// re-checks the stored client chain and the allow-list.
			ClientSessionCache: session.NewLRUClientCache(0),
			VerifyProfile:      verifyProfile.Profile}
		t.handle = t.handleClientConn
	}
	return t, nil
}
