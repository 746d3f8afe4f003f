// Command https serves net/http over glasstls and fetches a page from it
// with an http.Client that dials with glasstls: the standard library's HTTP
// stack, HTTP/2 included, on top of our TLS, through handshake/nethttp.
//
//	go run ./examples/https                 # serve and fetch once, then exit
//	go run ./examples/https -serve          # keep serving on -addr
//	curl --http2 --cacert testdata/ca.pem https://localhost:PORT/
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/nethttp"
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
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: http.HandlerFunc(hello), ReadHeaderTimeout: 10 * time.Second}
	// ALPN offers h2 and http/1.1; r.TLS is filled in either way.
	go nethttp.Serve(server, ln, &handshake.Config{Certificates: []handshake.Certificate{cert}})
	url := "https://localhost:" + portOf(ln.Addr()) + "/"
	log.Printf("serving %s", url)
	if *serve {
		select {}
	}

	roots, err := cli.LoadPool(*caFile)
	if err != nil {
		log.Fatal(err)
	}
	client := nethttp.NewClient(&handshake.Config{RootCAs: roots})
	client.Timeout = 30 * time.Second
	resp, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s, %s\n%s", resp.Proto, resp.Status, suiteName(resp.TLS.CipherSuite), body)
	_ = server.Shutdown(context.Background())
}

// hello describes the connection the request came over, from r.TLS.
func hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello over glasstls: %s %s %s\n", r.Proto, r.Method, r.URL.Path)
	if r.TLS != nil {
		fmt.Fprintf(w, "TLSv1.2, %s, ALPN %q, server name %q\n", suiteName(r.TLS.CipherSuite), r.TLS.NegotiatedProtocol, r.TLS.ServerName)
	}
}

func suiteName(id uint16) string {
	if s, ok := cipher.SuiteByID(id); ok {
		return s.Name
	}
	return fmt.Sprintf("0x%04X", id)
}

func portOf(addr net.Addr) string {
	_, port, _ := net.SplitHostPort(addr.String())
	return port
}
