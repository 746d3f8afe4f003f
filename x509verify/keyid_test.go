package x509verify

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVerifyNamesakeIssuer pins the rule that tells a forgery from a
// self-made CA (another key under a trusted name: unknown authority) from
// a tampered certificate (the named key does not verify: bad signature),
// by the key identifiers (RFC 5280, 4.2.1.1).
func TestVerifyNamesakeIssuer(t *testing.T) {
	p := newPKI(t)
	otherID := []byte{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	withSKID := func(id []byte) func(*x509.Certificate) {
		return func(c *x509.Certificate) { c.SubjectKeyId = id }
	}
	namesake := issue(t, caTmpl("Test Root"), nil, nil)
	namesake2 := issue(t, caTmpl("Test Root"), nil, nil)
	require.NotEqual(t, p.inter.cert.AuthorityKeyId, namesake.cert.SubjectKeyId)
	copiedID := issue(t, caTmpl("Test Root", withSKID(p.root.cert.SubjectKeyId)), nil, nil)
	noID := issue(t, caTmpl("Test Root"), nil, nil)
	noID.cert.SubjectKeyId = nil // CreateCertificate always adds one to a CA
	reissued := issue(t, caTmpl("Test Root", withSKID(otherID)), nil, p.root.key)
	interNamesake := issue(t, caTmpl("Test Intermediate"), p.root, nil)

	tests := []struct {
		name          string
		roots, inters []*node
		wantOK        bool
		wantOther     int // UnknownAuthorityError with this many OtherKeys
		wantBad       bool
	}{
		{"own key identifier: not the issuer", []*node{namesake}, []*node{p.inter}, false, 1, false},
		{"namesake intermediate: not the issuer", []*node{p.root}, []*node{interNamesake}, false, 1, false},
		{"copied key identifier: tampered or forged, cannot tell", []*node{copiedID}, []*node{p.inter}, false, 0, true},
		{"no subjectKeyIdentifier: bad signature", []*node{noID}, []*node{p.inter}, false, 0, true},
		{"two namesakes both listed", []*node{namesake, namesake2}, []*node{p.inter}, false, 2, false},
		{"the signature decides: re-issued root, new identifier, same key", []*node{reissued}, []*node{p.inter}, true, 0, false},
		{"the genuine root among namesakes", []*node{namesake, copiedID, p.root}, []*node{p.inter}, true, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := p.opts()
			opts.Roots = poolOf(tt.roots...)
			opts.Intermediates = poolOf(tt.inters...)
			chains, err := Verify(p.leaf.cert, opts)
			switch {
			case tt.wantOK:
				require.NoError(t, err)
				assert.Len(t, chains, 1)
			case tt.wantBad:
				e := requireAs[*BadSignatureError](t, err)
				assert.Equal(t, p.inter.cert, e.Cert)
			default:
				e := requireAs[*UnknownAuthorityError](t, err)
				assert.Len(t, e.OtherKeys, tt.wantOther)
				for _, c := range e.OtherKeys {
					assert.NotEqual(t, e.Cert.AuthorityKeyId, c.SubjectKeyId)
					assert.Equal(t, e.Cert.RawIssuer, c.RawSubject)
				}
				assert.Contains(t, err.Error(), "with that name but a different key")
			}
		})
	}
}
