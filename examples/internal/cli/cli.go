// Package cli holds the flag parsing the example programs share, so that
// examples/client and examples/server accept the same names.
package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/x509verify"
)

// ParseCipherList turns a ':'-separated list of IANA or OpenSSL suite names
// into suite ids, in the order given. An empty list means the defaults (nil).
func ParseCipherList(list string) ([]uint16, error) {
	if list == "" {
		return nil, nil
	}
	var ids []uint16
	for _, name := range strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' }) {
		suite, ok := cipher.SuiteByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown cipher suite %q", name)
		}
		ids = append(ids, suite.ID)
	}
	return ids, nil
}

// ParseCurves turns a ':'-separated list of group names (X25519, P-256,
// prime256v1, ...) into curve ids.
func ParseCurves(list string) ([]cipher.CurveID, error) {
	if list == "" {
		return nil, nil
	}
	var curves []cipher.CurveID
	for _, name := range strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' }) {
		curve, ok := cipher.CurveByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown group %q", name)
		}
		curves = append(curves, curve)
	}
	return curves, nil
}

// ParseList splits a ','- or ':'-separated list (ALPN protocols).
func ParseList(list string) []string {
	if list == "" {
		return nil
	}
	return strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' })
}

// LoadPool reads a PEM file of CA certificates.
func LoadPool(file string) (*x509verify.Pool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509verify.NewPool()
	if !pool.AppendPEM(data) {
		return nil, fmt.Errorf("%s: no certificates found", file)
	}
	return pool, nil
}

// SessionLine is the line OpenSSL's s_client prints after a handshake:
// "New, TLSv1.2, Cipher is ..." or "Reused, ...".
func SessionLine(state handshake.ConnectionState) string {
	word := "New"
	if state.DidResume {
		word = "Reused"
	}
	name := fmt.Sprintf("0x%04X", state.CipherSuite)
	if suite, ok := cipher.SuiteByID(state.CipherSuite); ok {
		name = suite.Name
	}
	return fmt.Sprintf("%s, TLSv1.2, Cipher is %s", word, name)
}
