package handshake

import (
	"net"
	"testing"

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
