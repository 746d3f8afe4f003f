package prf

import (
	"os"
	"os/exec"
	"testing"
)

// requireOpenSSL finds the openssl binary. Outside CI a missing binary skips
// the oracle tests; under CI=true it fails them, because CI must prove them.
// (prf sits below internal/interop's users and keeps its own tiny copy so the
// package's tests need nothing but the standard library and testify.)
func requireOpenSSL(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("openssl not found (CI=true requires it): %v", err)
		}
		t.Skipf("openssl not found: %v", err)
	}
	return path
}
