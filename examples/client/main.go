// Command client is a TLS 1.2 client built on glasstls, with flags shaped
// like OpenSSL's s_client: it sends standard input to the server and writes
// what the server sends to standard output. After the handshake it prints a
// line like "New, TLSv1.2, Cipher is ..." to standard error.
//
//	echo hello | go run ./examples/client -connect 127.0.0.1:4433 -CAfile testdata/ca.pem -servername localhost
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
	traceFlags := cli.RegisterTraceFlags()
	flag.Parse()

	config := &handshake.Config{
		ServerName:         *serverName,
		InsecureSkipVerify: *insecure,
		NextProtos:         cli.ParseList(*alpnList),
		HandshakeTimeout:   *timeout,
	}
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

	conn, err := handshake.DialWithDialer(&net.Dialer{Timeout: *timeout}, "tcp", *connect, config)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintln(os.Stderr, cli.SessionLine(conn.ConnectionState()))

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
}
