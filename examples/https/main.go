// Command https serves net/http over a glasstls listener and fetches a page
// from it with an http.Client whose transport dials with glasstls: the
// standard library's HTTP stack, unchanged, on top of our TLS.
//
//	go run ./examples/https                 # serve and fetch once, then exit
//	go run ./examples/https -serve          # keep serving on -addr
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/x509verify"
)

func main() {
	log.SetFlags(0)
	addr := flag.String("addr", "127.0.0.1:0", "address to serve on")
	certFile := flag.String("cert", "testdata/server-ecdsa.pem", "PEM certificate chain")
	keyFile := flag.String("key", "testdata/server-ecdsa-key.pem", "PEM private key")
	caFile := flag.String("CAfile", "testdata/ca.pem", "PEM CA the client trusts")
	serve := flag.Bool("serve", false, "keep serving instead of fetching once and exiting")
	flag.Parse()

	cert, err := handshake.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := handshake.Listen("tcp", *addr, &handshake.Config{
		Certificates: []handshake.Certificate{cert},
		NextProtos:   []string{"http/1.1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{
		Handler:           http.HandlerFunc(hello),
		ReadHeaderTimeout: 10 * time.Second,
		// Keep each request's *handshake.Conn reachable from its handler.
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, c)
		},
	}
	go server.Serve(ln)
	url := "https://localhost:" + portOf(ln.Addr()) + "/"
	log.Printf("serving %s", url)
	if *serve {
		select {}
	}

	caPEM, err := os.ReadFile(*caFile)
	if err != nil {
		log.Fatal(err)
	}
	roots := x509verify.NewPool()
	roots.AppendPEM(caPEM)
	client := NewHTTPClient(&handshake.Config{RootCAs: roots, NextProtos: []string{"http/1.1"}})
	resp, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n%s", resp.Status, body)
	_ = server.Shutdown(context.Background())
}

// NewHTTPClient returns an http.Client that speaks TLS with glasstls. The
// transport's DialTLSContext is the one hook net/http needs.
func NewHTTPClient(config *handshake.Config) *http.Client {
	dialer := &handshake.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second}, Config: config}
	return &http.Client{
		Transport: &http.Transport{DialTLSContext: dialer.DialContext},
		Timeout:   30 * time.Second,
	}
}

// hello describes the connection the request came over.
func hello(w http.ResponseWriter, r *http.Request) {
	// net/http only fills r.TLS for crypto/tls; our Conn is reached through
	// the connection context instead (see ConnContext above). By the time a
	// handler runs, the handshake is over.
	fmt.Fprintf(w, "hello over glasstls: %s %s\n", r.Method, r.URL.Path)
	if conn, ok := r.Context().Value(connKey{}).(*handshake.Conn); ok {
		state := conn.ConnectionState()
		name := fmt.Sprintf("0x%04X", state.CipherSuite)
		if s, ok := cipher.SuiteByID(state.CipherSuite); ok {
			name = s.Name
		}
		fmt.Fprintf(w, "TLSv1.2, %s, ALPN %q\n", name, state.NegotiatedProtocol)
	}
}

type connKey struct{}

func portOf(addr net.Addr) string {
	_, port, _ := net.SplitHostPort(addr.String())
	return port
}
