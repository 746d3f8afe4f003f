// Command client is a TLS 1.2 client built on glasstls, with flags shaped
// like OpenSSL's s_client: it sends standard input to the server and writes
// what the server sends to standard output. After the handshake it prints a
// line like "New, TLSv1.2, Cipher is ..." to standard error, followed by a
// "verify lint:" line for each rule of RFC 5280 or the Web PKI the server's
// chain breaks (-verify_profile rfc5280 or webpki refuses such a chain).
//
//	echo hello | go run ./examples/client -connect 127.0.0.1:4433 -CAfile testdata/ca.pem -servername localhost
//	echo | go run ./examples/client -connect example.com:443 -html conn.html   # the connection as an illustrated page
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/trace"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("client: ")
	connect := flag.String("connect", "127.0.0.1:4433", "host:port to connect to")
	serverName := flag.String("servername", "", "server name to send (SNI) and verify (default: the host of -connect)")
	caFile := flag.String("CAfile", "", "PEM CA certificates to trust (default: the system's)")
	insecure := flag.Bool("insecure", false, "do not verify the server's certificate (testing only)")
	cipherList := flag.String("cipher", "", "cipher suites, IANA or OpenSSL names, ':'-separated")
	curveList := flag.String("curves", "", "ECDHE groups, ':'-separated")
	alpnList := flag.String("alpn", "", "ALPN protocols, ','-separated")
	certFile := flag.String("cert", "", "PEM client certificate chain")
	keyFile := flag.String("key", "", "private key of -cert")
	ignEOF := flag.Bool("ign_eof", false, "keep the connection open after standard input ends")
	timeout := flag.Duration("timeout", 30*time.Second, "handshake timeout")
	reconnect := flag.Bool("reconnect", false, "connect, then reconnect five times with the session, printing New/Reused each time")
	sessOut := flag.String("sess_out", "", "write the session to this file (PEM; it holds the master secret)")
	sessIn := flag.String("sess_in", "", "offer the session saved in this file by -sess_out")
	noTicket := flag.Bool("no_ticket", false, "do not use session tickets (resume by session ID only)")
	htmlFile := flag.String("html", "", "write the connection's illustrated page (every byte annotated) to `FILE` when it ends")
	traceFlags := cli.RegisterTraceFlags()
	verifyProfile := cli.RegisterVerifyProfileFlag()
	flag.Parse()

	config := &handshake.Config{
		ServerName:         *serverName,
		InsecureSkipVerify: *insecure,
		NextProtos:         cli.ParseList(*alpnList),
		HandshakeTimeout:   *timeout,
		// RFC 5077: tickets on unless -no_ticket; session IDs always.
		SessionTicketsDisabled: *noTicket,
		VerifyProfile:          verifyProfile.Profile,
	}
	sessions, err := loadSessionStore(*sessIn)
	if err != nil {
		log.Fatalf("-sess_in: %v", err)
	}
	config.ClientSessionCache = sessions
	closeKeyLog, err := traceFlags.Apply(config)
	if err != nil {
		log.Fatal(err)
	}
	defer closeKeyLog()
	if config.CipherSuites, err = cli.ParseCipherList(*cipherList); err != nil {
		log.Fatal(err)
	}
	if config.CurvePreferences, err = cli.ParseCurves(*curveList); err != nil {
		log.Fatal(err)
	}
	if *caFile != "" {
		if config.RootCAs, err = cli.LoadPool(*caFile); err != nil {
			log.Fatal(err)
		}
	}
	if *certFile != "" {
		cert, err := handshake.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			log.Fatal(err)
		}
		config.Certificates = []handshake.Certificate{cert}
	}
	if config.ServerName == "" {
		host, _, err := net.SplitHostPort(*connect)
		if err != nil {
			log.Fatal(err)
		}
		config.ServerName = host
	}

	// Like s_client -reconnect: five handshakes more, each resuming the
	// session of the one before; the last connection carries the data.
	reconnections := 0
	if *reconnect {
		reconnections = 5
	}
	var conn *handshake.Conn
	var page *trace.Page
	tracer := config.Trace
	for i := 0; i <= reconnections; i++ {
		if conn != nil {
			conn.Close()
		}
		if *htmlFile != "" {
			// A page draws one connection: the last one is written.
			page = trace.NewPage()
			config.Trace = trace.Tee(tracer, page)
		}
		conn, err = handshake.DialWithDialer(&net.Dialer{Timeout: *timeout}, "tcp", *connect, config)
		if err != nil {
			log.Fatal(err)
		}
		state := conn.ConnectionState()
		fmt.Fprintln(os.Stderr, cli.SessionLine(state))
		if !state.DidResume {
			// What a stricter -verify_profile would have refused.
			for _, line := range cli.LintLines(state) {
				fmt.Fprintln(os.Stderr, line)
			}
		}
	}
	defer conn.Close()
	if *sessOut != "" {
		if err := sessions.save(*sessOut); err != nil {
			log.Fatalf("-sess_out: %v", err)
		}
	}

	go func() {
		_, err := io.Copy(conn, os.Stdin)
		if err != nil {
			log.Printf("sending: %v", err)
		}
		if !*ignEOF {
			_ = conn.CloseWrite() // like s_client: end of input sends close_notify
		}
	}()
	if _, err := io.Copy(os.Stdout, conn); err != nil && !errors.Is(err, net.ErrClosed) {
		log.Fatal(err)
	}
	if page != nil {
		conn.Close() // the page ends with our close_notify
		if err := writePage(page, *htmlFile); err != nil {
			log.Fatalf("-html: %v", err)
		}
	}
}

// writePage writes the connection's page to file.
func writePage(page *trace.Page, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := page.WriteHTML(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
