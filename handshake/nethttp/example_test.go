package nethttp_test

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/nethttp"
	"github.com/glasstls/glasstls/x509verify"
)

// exampleCertificate is the checked-in test certificate for localhost;
// exampleRoots, the CA that issued it.
func exampleCertificate() handshake.Certificate {
	cert, err := handshake.LoadX509KeyPair("../../testdata/server-ecdsa.pem", "../../testdata/server-ecdsa-key.pem")
	if err != nil {
		log.Fatal(err)
	}
	return cert
}

func exampleRoots() *x509verify.Pool {
	caPEM, err := os.ReadFile("../../testdata/ca.pem")
	if err != nil {
		log.Fatal(err)
	}
	roots := x509verify.NewPool()
	roots.AppendPEM(caPEM)
	return roots
}

// An HTTPS server: any http.Server, HTTP/2 and HTTP/1.1, with r.TLS set.
func ExampleServe() {
	cert := exampleCertificate()
	addr := "127.0.0.1:0"

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s over TLS 1.2, server name %q\n", r.Proto, r.TLS.ServerName)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	go nethttp.Serve(srv, ln, &handshake.Config{Certificates: []handshake.Certificate{cert}})
	defer srv.Close()

	client := nethttp.NewClient(&handshake.Config{RootCAs: exampleRoots()})
	resp, err := client.Get("https://localhost:" + portOf(ln.Addr()) + "/")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(os.Stdout, resp.Body)
	// Output: HTTP/2.0 over TLS 1.2, server name "localhost"
}

// An HTTPS client: an http.Client that dials with glasstls, HTTP/2 when
// the server picks it in ALPN, with resp.TLS set and sessions resumed.
func ExampleNewClient() {
	url, stop := exampleHTTPSServer()
	defer stop()
	roots := exampleRoots()

	client := nethttp.NewClient(&handshake.Config{RootCAs: roots})
	resp, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s %s", resp.Proto, resp.Status, body)
	fmt.Println(resp.TLS.PeerCertificates[0].Subject.CommonName)

	resp.Body.Close()             // the connection is idle once the body is closed,
	client.CloseIdleConnections() // and closed here: a new connection resumes the session
	again, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	again.Body.Close()
	fmt.Println("resumed:", again.TLS.DidResume)
	// Output:
	// HTTP/2.0 200 OK hello
	// localhost
	// resumed: true
}

func exampleHTTPSServer() (url string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })}
	go nethttp.Serve(srv, ln, &handshake.Config{Certificates: []handshake.Certificate{exampleCertificate()}})
	return "https://localhost:" + portOf(ln.Addr()) + "/", func() { srv.Close() }
}

func portOf(addr net.Addr) string {
	_, port, _ := net.SplitHostPort(addr.String())
	return port
}
