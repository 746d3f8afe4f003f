package serve

import (
	"io"
	"log"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/interop"
)

// A -www client that never ends its request headers is cut off at
// maxRequestHeaders bytes: the server neither buffers without bound nor
// waits for the rest.
func TestWWWBoundsTheRequest(t *testing.T) {
	dir := interop.TestdataDir(t)
	config, err := BuildConfig(filepath.Join(dir, "server-rsa.pem"), filepath.Join(dir, "server-rsa-key.pem"),
		"", "", "", "", "", "none", "")
	require.NoError(t, err)
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", config)
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- AcceptLoop(ln, 1, true, log.New(io.Discard, "", 0)) }()

	roots, err := cli.LoadPool(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	conn, err := handshake.Dial("tcp", ln.Addr().String(), &handshake.Config{RootCAs: roots, ServerName: "localhost"})
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(20*time.Second)))
	// One header line that never ends, up to the bound and no further (so
	// that the server has read every byte when it hangs up, and the kernel
	// has no reason to answer with a reset).
	request := "GET / HTTP/1.0\r\nX-Long: "
	_, err = io.WriteString(conn, request+strings.Repeat("a", maxRequestHeaders-len(request)))
	require.NoError(t, err)
	reply, err := io.ReadAll(conn)
	require.NoError(t, err, "the server must hang up, not wait for the rest")
	require.NotContains(t, string(reply), "glasstls server", "no page for a request that never ended")
	require.NoError(t, <-served)
}
