package interop

import (
	"os"
	"os/exec"
	"testing"
)

// RequireOpenSSL returns the path of the openssl binary, or stops the test
// if there is none (see RequireTool).
func RequireOpenSSL(t testing.TB) string {
	t.Helper()
	return RequireTool(t, "openssl")
}

// RequireTool returns the path of the named executable (for example
// "redis-server", "redis-cli", "tshark" or "dlv") as found in PATH. If it is
// missing, the test fails when the environment variable CI is "true", since
// CI must have every tool installed, and is skipped otherwise.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("interop: %s is required under CI=true but was not found: %v", name, err)
	}
	t.Skipf("interop: %s not found in PATH; skipping (set CI=true to make this a failure)", name)
	return ""
}
