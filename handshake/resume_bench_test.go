package handshake

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/glasstls/glasstls/handshake/session"
)

// BenchmarkHandshakeResumption compares a full handshake with the two
// abbreviated ones (RFC 5246, 7.3 Figure 2), both ends in-process over
// net.Pipe, so each op is the client's and the server's work together.
//
//	go test ./handshake -run XXX -bench HandshakeResumption
func BenchmarkHandshakeResumption(b *testing.B) {
	pki := loadTestPKI(b)
	suites := map[string]uint16{
		"ECDHE-ECDSA-AES128-GCM": 0xC02B,
		"ECDHE-RSA-AES128-GCM":   0xC02F,
	}
	modes := []struct {
		name   string
		setup  func(clientConfig, serverConfig *Config)
		resume bool
	}{
		{"full", func(cc, sc *Config) { cc.ClientSessionCache = nil }, false},
		{"resumed-session-ID", func(cc, sc *Config) { sc.SessionTicketsDisabled = true }, true},
		{"resumed-ticket", func(cc, sc *Config) { sc.SessionIDCacheDisabled = true }, true},
	}
	for suiteName, suiteID := range suites {
		for _, mode := range modes {
			b.Run(suiteName+"/"+mode.name, func(b *testing.B) {
				clientConfig := pki.clientConfig()
				clientConfig.CipherSuites = []uint16{suiteID}
				clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
				serverConfig := pki.serverConfig()
				mode.setup(clientConfig, serverConfig)
				pipeHandshake(b, clientConfig, serverConfig) // fills the caches
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if resumed := pipeHandshake(b, clientConfig, serverConfig); resumed != mode.resume {
						b.Fatalf("resumed = %v, want %v", resumed, mode.resume)
					}
				}
			})
		}
	}
}

// pipeHandshake runs one handshake over net.Pipe and reports DidResume.
func pipeHandshake(b *testing.B, clientConfig, serverConfig *Config) bool {
	clientRaw, serverRaw := net.Pipe()
	defer clientRaw.Close()
	defer serverRaw.Close()
	server := Server(serverRaw, serverConfig)
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	client := Client(clientRaw, clientConfig)
	if err := client.Handshake(); err != nil {
		b.Fatal(err)
	}
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
	return client.ConnectionState().DidResume
}

// BenchmarkResumptionCacheFill resumes by ticket and by session ID with
// the server's session cache empty and holding 20,000 other sessions, as a
// busy server's does: resumption should cost the same in both (issue 17:
// a cache of pointer-rich entries made every garbage collection longer).
//
//	go test ./handshake -run XXX -bench ResumptionCacheFill -benchmem
func BenchmarkResumptionCacheFill(b *testing.B) {
	pki := loadTestPKI(b)
	for _, resume := range []string{"ticket", "session-ID"} {
		for _, fill := range []int{0, 20000} {
			b.Run(fmt.Sprintf("%s/cached=%d", resume, fill), func(b *testing.B) {
				clientConfig := pki.clientConfig()
				clientConfig.CipherSuites = []uint16{0xC02F}
				clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
				serverConfig := pki.serverConfig()
				if resume == "session-ID" {
					serverConfig.SessionTicketsDisabled = true
				}
				cache := serverConfig.serverSessions().cache
				for i := range fill {
					id := make([]byte, 32)
					binary.BigEndian.PutUint64(id, uint64(i))
					cache.Put(context.Background(), id, &session.State{Version: VersionTLS12, CipherSuite: 0xC02F, MasterSecret: make([]byte, 48),
						ExtendedMasterSecret: true, ServerName: "localhost", CreatedAt: time.Now()})
				}
				pipeHandshake(b, clientConfig, serverConfig) // the session to resume
				runtime.GC()
				gcBefore := gcCPUSeconds()
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if !pipeHandshake(b, clientConfig, serverConfig) {
						b.Fatal("did not resume")
					}
				}
				// CPU time, unlike ns/op, hardly moves with the machine's load.
				b.ReportMetric((gcCPUSeconds()-gcBefore)*1e9/float64(b.N), "gc-cpu-ns/op")
			})
		}
	}
}

// gcCPUSeconds is the CPU time the garbage collector has used so far.
func gcCPUSeconds() float64 {
	sample := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(sample)
	return sample[0].Value.Float64()
}
