package bench

import (
	"crypto/rand"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// newRecordWriter is a glasstls record layer writing to io.Discard with
// suite's protection switched on, as after a handshake.
func newRecordWriter(tb testing.TB, suite *cipher.Suite, keys cipher.Keys) *record.Conn {
	tb.Helper()
	prot, err := suite.NewProtection(keys, false, rand.Reader)
	require.NoError(tb, err)
	w := record.NewConn(nil, io.Discard)
	w.SetWriteVersion(record.VersionTLS12)
	w.SetWritePending(prot)
	require.NoError(tb, w.ChangeWriteCipherSpec())
	return w
}
