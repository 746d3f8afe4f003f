package session_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/glasstls/glasstls/handshake/session"
)

// A session is what an abbreviated handshake needs again (RFC 5246, 7.3):
// the suite, the master secret, the extended master secret flag, the
// server name. Marshal encodes it (what a ticket seals, RFC 5077, 4);
// MarshalPEM is the same in a PEM block, for a file (OpenSSL's -sess_out).
func ExampleState_Marshal() {
	state := &session.State{
		Version:              0x0303,
		CipherSuite:          0xC02F, // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		MasterSecret:         bytes.Repeat([]byte{0x42}, 48),
		ExtendedMasterSecret: true,
		ServerName:           "localhost",
		CreatedAt:            time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	encoded, err := state.Marshal()
	if err != nil {
		panic(err)
	}
	decoded, err := session.Unmarshal(encoded)
	if err != nil {
		panic(err)
	}
	fmt.Printf("suite 0x%04X, EMS %v, %q, created %s, same master secret: %v\n",
		decoded.CipherSuite, decoded.ExtendedMasterSecret, decoded.ServerName,
		decoded.CreatedAt.Format(time.RFC3339), bytes.Equal(decoded.MasterSecret, state.MasterSecret))

	pemBlock, _ := state.MarshalPEM()
	fmt.Println(strings.SplitN(string(pemBlock), "\n", 2)[0])
	// Output:
	// suite 0xC02F, EMS true, "localhost", created 2026-01-02T03:04:05Z, same master secret: true
	// -----BEGIN GLASSTLS SESSION-----
}

// A server's ticket keys seal a session into a ticket only they can open
// (RFC 5077, 4); a ticket past its lifetime no longer opens.
func ExampleTicketKeys() {
	keys := session.NewTicketKeys(24*time.Hour, 2*time.Hour)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var secret [session.TicketKeySize]byte
	if err := keys.SetKeys([][session.TicketKeySize]byte{secret}, now); err != nil {
		panic(err)
	}
	state := &session.State{Version: 0x0303, CipherSuite: 0xC02F, MasterSecret: make([]byte, 48), CreatedAt: now}
	ticket, err := keys.Seal(rand.Reader, now, state)
	if err != nil {
		panic(err)
	}
	_, ok := keys.Open(now.Add(time.Hour), ticket)
	fmt.Println("opens an hour later:", ok)
	_, ok = keys.Open(now.Add(3*time.Hour), ticket)
	fmt.Println("opens three hours later:", ok)
	// Output:
	// opens an hour later: true
	// opens three hours later: false
}
