package nethttp

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The protocol is ours: no library or example package imports crypto/tls
// except this one, which needs its ConnectionState type for net/http
// (tests may use crypto/tls as a peer).
func TestOnlyNethttpImportsCryptoTLS(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "github.com/glasstls/glasstls/...").Output()
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var checked int
	for dec.More() {
		var pkg struct {
			ImportPath string
			Imports    []string
		}
		require.NoError(t, dec.Decode(&pkg))
		checked++
		if pkg.ImportPath == "github.com/glasstls/glasstls/handshake/nethttp" {
			continue
		}
		assert.False(t, slices.Contains(pkg.Imports, "crypto/tls"), "%s imports crypto/tls", pkg.ImportPath)
	}
	assert.Greater(t, checked, 10)
}
