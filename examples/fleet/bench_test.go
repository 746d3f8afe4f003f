package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/examples/fleet/internal/redistest"
	"github.com/glasstls/glasstls/examples/internal/serve"
	"github.com/glasstls/glasstls/handshake"
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
// Run: (cd examples/fleet && go test -run '^$' -bench Resumption -benchtime 400x)
func BenchmarkResumption(b *testing.B) {
	r := redistest.Start(b)
	f := newFleet(b, r)
	memberA := func(extra ...string) string { return startMember(b, f.args(b, extra...)...).addr }

	type target struct {
		name            string
		first, next     string // the session is made on first, then resumed on next
		clientTickets   bool
		clientCache     bool
		wantResumedRate float64
	}
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
	noCache := local(true, true)
	memory := local(true, false)
	redisIDa, redisIDb := memberA("-no_ticket"), memberA("-no_ticket")
	ticketA, ticketB := memberA("-no_cache"), memberA("-no_cache")

	for _, tt := range []target{
		{name: "full/cache=off", first: noCache, next: noCache},
		{name: "full/cache=memory", first: memory, next: memory},
		{name: "full/cache=redis", first: redisIDa, next: redisIDa},
		{name: "resume/id/memory", first: memory, next: memory, clientCache: true, wantResumedRate: 1},
		{name: "resume/id/redis(A->B)", first: redisIDa, next: redisIDb, clientCache: true, wantResumedRate: 1},
		{name: "resume/ticket/shared-keys(A->B)", first: ticketA, next: ticketB, clientCache: true, clientTickets: true, wantResumedRate: 1},
	} {
		b.Run(tt.name, func(b *testing.B) {
			config := clientConfig(b)
			config.SessionTicketsDisabled = !tt.clientTickets
			if tt.clientCache {
				config, _ = resumingClient(b, !tt.clientTickets)
			}
			mustConnect(b, tt.first, config)
			resumed := 0
			b.ResetTimer()
			for range b.N {
				state, err := connect(tt.next, config)
				if err != nil {
					b.Fatal(err)
				}
				if state.DidResume {
					resumed++
				}
			}
			b.StopTimer()
			rate := float64(resumed) / float64(b.N)
			b.ReportMetric(rate, "resumed/op")
			if rate != tt.wantResumedRate {
				b.Fatalf("resumed %d of %d", resumed, b.N)
			}
		})
	}

	// The yardstick: crypto/tls on both sides, full and by ticket.
	cryptoTLS := cryptoTLSEcho(b)
	for _, resume := range []bool{false, true} {
		name := "crypto-tls/full"
		if resume {
			name = "crypto-tls/resume/ticket"
		}
		b.Run(name, func(b *testing.B) {
			pem, err := os.ReadFile(testdata(b, "ca.pem"))
			require.NoError(b, err)
			roots := x509.NewCertPool()
			roots.AppendCertsFromPEM(pem)
			config := &tls.Config{RootCAs: roots, ServerName: "localhost", MaxVersion: tls.VersionTLS12}
			if resume {
				config.ClientSessionCache = tls.NewLRUClientSessionCache(0)
			}
			dial := func() bool {
				conn, err := tls.Dial("tcp", cryptoTLS, config)
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
			resumed := 0
			b.ResetTimer()
			for range b.N {
				if dial() {
					resumed++
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(resumed)/float64(b.N), "resumed/op")
		})
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
