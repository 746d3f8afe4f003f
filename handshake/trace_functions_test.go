package handshake

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTracedFunctionsExist keeps ValueTrace.Function true: every name it
// gives (pkg.Func, Type.method, a bare func, pkg.Type.Field) is declared in
// the source, so a reader who sets a breakpoint there finds it.
func TestTracedFunctionsExist(t *testing.T) {
	sources := map[string]string{} // directory -> all its Go source
	source := func(dir string) string {
		if s, ok := sources[dir]; ok {
			return s
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		var b strings.Builder
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			b.Write(data)
		}
		sources[dir] = b.String()
		return sources[dir]
	}
	dirs := map[string]string{"prf": "../prf", "cipher": "../cipher", "session": "session"}
	ident := regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*`)
	names := []string{valueClientRandom, valueServerRandom, valuePreMasterSecret, valueSessionHash, valueMasterSecret,
		valueExtendedMasterKey, valueResumedMasterSecret, valueClientMACKey, valueServerMACKey, valueClientWriteKey,
		valueServerWriteKey, valueClientIV, valueServerIV, valueClientVerifyData, valueServerVerifyData,
		valueClientHandshakeHash, valueServerHandshakeHash, valueDHP, valueDHG, valueDHServerPrivate, valueDHServerPublic,
		valueDHClientPrivate, valueDHClientPublic}
	for _, name := range names {
		info := valueFormula(name)
		require.NotEmpty(t, info.function, name)
		checked := 0
		for _, token := range ident.FindAllString(info.function, -1) {
			parts := strings.Split(token, ".")
			var pattern string
			dir := "."
			switch {
			case len(parts) == 1 && (token == "in" || token == "and" || token == "ECDHE" || token == "DHE" || token == "RSA" || strings.HasSuffix(token, "_client") || strings.HasSuffix(token, "_server")):
				continue // prose, or a file name's stem
			case len(parts) == 1:
				pattern = `func (\([^)]*\) )?` + token + `\(`
			case len(parts) == 2 && dirs[parts[0]] != "":
				dir, pattern = dirs[parts[0]], `func `+parts[1]+`\(`
			case len(parts) == 2 && parts[1] == "go":
				continue // a file name
			case len(parts) == 2:
				pattern = `func \(\w+ \*?` + parts[0] + `\) ` + parts[1] + `\(`
			case len(parts) == 3 && dirs[parts[0]] != "":
				dir, pattern = dirs[parts[0]], `type `+parts[1]+` struct \{[^}]*\b`+parts[2]+`\b`
			default:
				t.Errorf("%s: cannot check %q", name, token)
				continue
			}
			assert.True(t, regexp.MustCompile(pattern).MatchString(source(dir)), "%s names %s, which %s does not declare", name, token, dir)
			checked++
		}
		assert.Positive(t, checked, name)
	}
}
