package handshake

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBogoShimFlags checks the shim's command-line contract without a
// runner: unknown flags and out-of-scope features exit 89, so BoGo reports
// them as unimplemented rather than failed.
func TestBogoShimFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"handshaker probe", []string{"-is-handshaker-supported"}, bogoExitOK, ""},
		{"unknown flag", []string{"-port", "1", "-enable-channel-id"}, bogoExitUnimplemented, "-enable-channel-id"},
		{"unknown flag behind -on-resume-", []string{"-port", "1", "-on-resume-srtp-profiles", "x"}, bogoExitUnimplemented, "-srtp-profiles"},
		{"TLS 1.3 only", []string{"-port", "1", "-min-version", "772"}, bogoExitUnimplemented, "excludes TLS 1.2"},
		{"TLS 1.1 at most", []string{"-port", "1", "-max-version", "770"}, bogoExitUnimplemented, "excludes TLS 1.2"},
		{"unknown curve", []string{"-port", "1", "-curves", "30"}, bogoExitUnimplemented, "curve 30"},
		{"unknown cipher", []string{"-port", "1", "-cipher", "DES-CBC3-SHA"}, bogoExitUnimplemented, "DES-CBC3-SHA"},
		{"server without a certificate", []string{"-port", "1", "-server"}, bogoExitUnimplemented, "no certificate"},
		{"no port", []string{"-server"}, bogoExitFailed, "-port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			assert.Equal(t, tc.code, runBogoShim(tc.args, &stderr))
			assert.Contains(t, stderr.String(), tc.msg)
		})
	}
}

func TestBogoFlagSplitting(t *testing.T) {
	// -on-initial- and -on-resume- flags reach only their connections.
	first, err := parseBogoFlags([]string{"-port", "7", "-expect-alpn", "a"})
	require.NoError(t, err)
	assert.Equal(t, 7, first.port)
	assert.Equal(t, "a", first.expectALPN)

	known, takesValue := bogoFlagKind("-expect-alpn")
	assert.True(t, known)
	assert.True(t, takesValue)
	known, takesValue = bogoFlagKind("-server")
	assert.True(t, known)
	assert.False(t, takesValue)
	known, _ = bogoFlagKind("-no-such-flag")
	assert.False(t, known)

	protos, err := bogoALPNList("\x03foo\x02h2")
	require.NoError(t, err)
	assert.Equal(t, []string{"foo", "h2"}, protos)
	_, err = bogoALPNList("\x05foo")
	assert.Error(t, err)
}

// TestBogoConfig keeps testdata/bogo_config.json well formed: valid JSON,
// and a reason for every disabled test pattern.
func TestBogoConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bogo_config.json"))
	require.NoError(t, err)
	var config struct {
		DisabledTests map[string]string
		ErrorMap      map[string][]string
	}
	require.NoError(t, json.Unmarshal(data, &config))
	require.NotEmpty(t, config.DisabledTests)
	for pattern, reason := range config.DisabledTests {
		_, err := filepath.Match(pattern, "")
		assert.NoError(t, err, pattern)
		assert.GreaterOrEqual(t, len(reason), 20, "pattern %q needs a reason", pattern)
	}
}
