package nethttp

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkServe is the cost of serving HTTPS requests with glasstls
// under net/http (Serve) beside crypto/tls (http.Server.ServeTLS), the same
// Go client for both, in one run: a 1 KiB response on a kept-alive
// connection (HTTP/2 and HTTP/1.1), and a new connection per request (a
// full ECDHE-ECDSA handshake each time, no resumption).
//
//	go test ./handshake/nethttp -run '^$' -bench Serve -benchtime 2s -count 5 -benchmem
func BenchmarkServe(b *testing.B) {
	pki := loadPKI(b)
	goCert, err := tls.LoadX509KeyPair(pki.file("server-ecdsa.pem"), pki.file("server-ecdsa-key.pem"))
	require.NoError(b, err)
	page := strings.Repeat("x", 1024)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page) })

	servers := map[string]func(*http.Server, net.Listener){
		"glasstls": func(srv *http.Server, ln net.Listener) {
			config := pki.serverConfig()
			config.ClientAuth = 0
			Serve(srv, ln, config)
		},
		"crypto-tls": func(srv *http.Server, ln net.Listener) {
			srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{goCert}, MaxVersion: tls.VersionTLS12}
			srv.ServeTLS(ln, "", "")
		},
	}
	for _, mode := range []string{"HTTP2", "HTTP1", "NewConnection"} {
		for _, name := range []string{"glasstls", "crypto-tls"} {
			b.Run(mode+"/"+name, func(b *testing.B) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(b, err)
				srv := &http.Server{Handler: handler}
				go servers[name](srv, ln)
				defer srv.Close()
				transport := &http.Transport{
					TLSClientConfig:   &tls.Config{RootCAs: pki.goRoots, ServerName: "localhost", ClientSessionCache: nil},
					ForceAttemptHTTP2: mode == "HTTP2",
					DisableKeepAlives: mode == "NewConnection",
				}
				if mode != "HTTP2" {
					transport.TLSClientConfig.NextProtos = []string{"http/1.1"}
					transport.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
				}
				defer transport.CloseIdleConnections()
				client := &http.Client{Transport: transport}
				url := "https://" + ln.Addr().String() + "/"
				b.ResetTimer()
				for b.Loop() {
					resp, err := client.Get(url)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
	}
}
