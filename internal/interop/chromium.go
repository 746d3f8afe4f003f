package interop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// ChromiumDumpDOM loads url in headless Chromium and returns the page as
// Chromium rendered it (--dump-dom). Chromium offers GREASE values
// (RFC 8701) and post-quantum groups glasstls does not know, so this is a
// real peer that must settle on TLS 1.2 with us.
//
// The test CA is not in Chromium's trust store; rather than turning
// certificate checks off, the caller passes the server's leaf certificates
// and Chromium accepts exactly those keys
// (--ignore-certificate-errors-spki-list). A missing Chromium skips the
// test, or fails it under CI=true (RequireTool).
func ChromiumDumpDOM(t testing.TB, url string, timeout time.Duration, leaves ...*x509.Certificate) string {
	t.Helper()
	chromium := RequireTool(t, "chromium")
	var pins []string
	for _, leaf := range leaves {
		sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
		pins = append(pins, base64.StdEncoding.EncodeToString(sum[:]))
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// The flags keep a root, sandbox-less, network-less Chromium quiet and
	// away from anything but the loopback server.
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir="+t.TempDir(),
		"--ignore-certificate-errors-spki-list="+strings.Join(pins, ","),
		"--dump-dom", url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("interop: chromium %s: %v\n%s", url, err, stderr.String())
	}
	return stdout.String()
}
