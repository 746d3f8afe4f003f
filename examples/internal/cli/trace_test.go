package cli

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/trace"
)

func TestTraceFlags(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError) // fresh per run: -count=N must not redefine flags
	flags := RegisterTraceFlagsOn(fs)
	keyLog := filepath.Join(t.TempDir(), "keys.log")
	for _, tc := range []struct {
		set  map[string]string
		want handshake.Tracer
	}{
		{map[string]string{"trace": "true"}, &trace.Text{}},
		{map[string]string{"trace": "false", "trace-json": "true"}, &trace.JSON{}},
		{map[string]string{"trace-json": "false", "trace-hex": "true", "trace-secrets": "true", "keylogfile": keyLog}, &trace.HexDump{}},
	} {
		for name, value := range tc.set {
			require.NoError(t, fs.Set(name, value))
		}
		config := &handshake.Config{}
		closeKeyLog, err := flags.Apply(config)
		require.NoError(t, err)
		assert.IsType(t, tc.want, config.Trace)
		if tc.set["keylogfile"] != "" {
			assert.True(t, config.TraceSecrets)
			require.NotNil(t, config.KeyLogWriter)
			_, statErr := os.Stat(keyLog)
			assert.NoError(t, statErr)
		}
		closeKeyLog()
	}
}
