package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/examples/internal/serve"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/redistest"
)

// BenchmarkResumption compares, in one run over loopback TCP, what a
// connection costs end to end (dial, handshake, a 5-byte echo) from the
// client's side:
//
//   - full handshakes with no session cache, with the in-memory cache, and
//     with the Redis cache (the full handshake then also stores the session);
//   - resumption by session ID through the in-memory cache, by session ID
//     through Redis (made on member A, resumed on member B), and by ticket
//     with the fleet's shared keys (also A to B);
//   - crypto/tls, full and resumed by ticket, as the yardstick.
//
// The cases take turns, one connection each per round, so that a machine
// whose load changes during the run (a shared one) weighs on all of them
// alike; each reports its median in microseconds ("<case>-µs").
//
// Run: (cd examples/fleet && go test -run '^$' -bench Resumption -benchtime 500x)
func BenchmarkResumption(b *testing.B) {
	r := redistest.Start(b)
	f := newFleet(b, r)
	member := func(extra ...string) string { return startMember(b, f.args(b, extra...)...).addr }
	local := func(noTicket, noCache bool) string {
		config, err := serve.BuildConfig(testdata(b, "server-rsa.pem"), testdata(b, "server-rsa-key.pem"), "", "", "", "", "", "none", "")
		require.NoError(b, err)
		config.SessionTicketsDisabled, config.SessionIDCacheDisabled = noTicket, noCache
		ln, err := handshake.Listen("tcp", "127.0.0.1:0", config)
		require.NoError(b, err)
		go func() { _ = serve.AcceptLoop(ln, 0, false, log.New(io.Discard, "", 0)) }()
		b.Cleanup(func() { ln.Close() })
		return ln.Addr().String()
	}
	noCache, memory := local(true, true), local(true, false)
	redisA, redisB := member("-no_ticket"), member("-no_ticket")
	ticketA, ticketB := member("-no_cache"), member("-no_cache")

	// glasstls makes a case that connects to next, after a first
	// connection to first made the session (if the client keeps one).
	glasstls := func(first, next string, clientCache, clientTickets bool) func() bool {
		config := clientConfig(b)
		config.SessionTicketsDisabled = !clientTickets
		if clientCache {
			config, _ = resumingClient(b, !clientTickets)
		}
		mustConnect(b, first, config)
		return func() bool {
			state, err := connect(next, config)
			if err != nil {
				b.Fatal(err)
			}
			return state.DidResume
		}
	}
	cryptoTLS := func(resume bool) func() bool {
		addr := cryptoTLSEcho(b)
		pem, err := os.ReadFile(testdata(b, "ca.pem"))
		require.NoError(b, err)
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(pem)
		config := &tls.Config{RootCAs: roots, ServerName: "localhost", MaxVersion: tls.VersionTLS12}
		if resume {
			config.ClientSessionCache = tls.NewLRUClientSessionCache(0)
		}
		dial := func() bool {
			conn, err := tls.Dial("tcp", addr, config)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Write([]byte("ping\n")); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
				b.Fatal(err)
			}
			return conn.ConnectionState().DidResume
		}
		dial()
		return dial
	}
	cases := []struct {
		name        string
		connect     func() (resumed bool)
		wantResumed bool
	}{
		{"full/cache=off", glasstls(noCache, noCache, false, false), false},
		{"full/cache=memory", glasstls(memory, memory, false, false), false},
		{"full/cache=redis", glasstls(redisA, redisA, false, false), false},
		{"resume/id/memory", glasstls(memory, memory, true, false), true},
		{"resume/id/redis-A-to-B", glasstls(redisA, redisB, true, false), true},
		{"resume/ticket/shared-keys-A-to-B", glasstls(ticketA, ticketB, true, true), true},
		{"crypto-tls/full", cryptoTLS(false), false},
		{"crypto-tls/resume/ticket", cryptoTLS(true), true},
	}

	took := make([][]time.Duration, len(cases))
	b.ResetTimer()
	for round := range b.N {
		for i := range cases {
			c := &cases[(round+i)%len(cases)] // a different order each round
			start := time.Now()
			resumed := c.connect()
			took[(round+i)%len(cases)] = append(took[(round+i)%len(cases)], time.Since(start))
			if resumed != c.wantResumed {
				b.Fatalf("%s: resumed=%v", c.name, resumed)
			}
		}
	}
	b.StopTimer()
	for i, c := range cases {
		slices.Sort(took[i])
		b.ReportMetric(float64(took[i][len(took[i])/2].Microseconds()), c.name+"-µs")
	}
}

// cryptoTLSEcho runs a crypto/tls echo server with the same certificate.
func cryptoTLSEcho(b *testing.B) string {
	cert, err := tls.LoadX509KeyPair(testdata(b, "server-rsa.pem"), testdata(b, "server-rsa-key.pem"))
	require.NoError(b, err)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12})
	require.NoError(b, err)
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func(conn net.Conn) {
				defer conn.Close()
				_, _ = io.Copy(conn, conn)
			}(conn)
		}
	}()
	return ln.Addr().String()
}
