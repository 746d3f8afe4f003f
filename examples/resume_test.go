package examples_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

// sessionWords reduces the client's "New, ..." / "Reused, ..." lines to
// their first word, one per handshake.
func sessionWords(stderr string) []string {
	var words []string
	for line := range strings.SplitSeq(stderr, "\n") {
		if word, _, ok := strings.Cut(line, ", TLSv1.2, Cipher is "); ok {
			words = append(words, word)
		}
	}
	return words
}

var newThenReused = []string{"New", "Reused", "Reused", "Reused", "Reused", "Reused"}

func TestOurClientReconnect(t *testing.T) {
	td := interop.TestdataDir(t)
	tests := []struct {
		name       string
		openssl    bool
		serverArgs []string
		clientArgs []string
	}{
		{name: "our server, tickets"},
		{name: "our server -no_ticket", serverArgs: []string{"-no_ticket"}},
		{name: "our server, client -no_ticket", clientArgs: []string{"-no_ticket"}},
		{name: "openssl s_server, tickets", openssl: true},
		{name: "openssl s_server -no_ticket", openssl: true, serverArgs: []string{"-no_ticket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var port int
			if tt.openssl {
				args := append([]string{"-tls1_2", "-cert", filepath.Join(td, "server-rsa.pem"),
					"-key", filepath.Join(td, "server-rsa-key.pem")}, tt.serverArgs...)
				_, port = interop.StartOpenSSLServer(t, args...)
			} else {
				port = startOurServer(t, tt.serverArgs...)
			}
			args := append([]string{"-reconnect", "-connect", fmt.Sprintf("127.0.0.1:%d", port),
				"-servername", "localhost", "-CAfile", filepath.Join(td, "ca.pem")}, tt.clientArgs...)
			_, stderr, err := runOurClient(t, "", args...)
			require.NoError(t, err, stderr)
			assert.Equal(t, newThenReused, sessionWords(stderr), stderr)
		})
	}
}

func TestOurClientSessionFiles(t *testing.T) {
	td := interop.TestdataDir(t)
	tests := []struct {
		name       string
		openssl    bool
		clientArgs []string
	}{
		{name: "our server, ticket"},
		{name: "our server, session ID", clientArgs: []string{"-no_ticket"}},
		{name: "openssl s_server, ticket", openssl: true},
		{name: "openssl s_server, session ID", openssl: true, clientArgs: []string{"-no_ticket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var port int
			if tt.openssl {
				_, port = interop.StartOpenSSLServer(t, "-tls1_2", "-cert", filepath.Join(td, "server-rsa.pem"),
					"-key", filepath.Join(td, "server-rsa-key.pem"))
			} else {
				port = startOurServer(t)
			}
			sessFile := filepath.Join(t.TempDir(), "session.pem")
			common := append([]string{"-connect", fmt.Sprintf("127.0.0.1:%d", port),
				"-servername", "localhost", "-CAfile", filepath.Join(td, "ca.pem")}, tt.clientArgs...)

			_, stderr, err := runOurClient(t, "", append(common, "-sess_out", sessFile)...)
			require.NoError(t, err, stderr)
			assert.Equal(t, []string{"New"}, sessionWords(stderr), stderr)

			_, stderr, err = runOurClient(t, "", append(common, "-sess_in", sessFile)...)
			require.NoError(t, err, stderr)
			assert.Equal(t, []string{"Reused"}, sessionWords(stderr), stderr)
		})
	}
}
