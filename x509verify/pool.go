package x509verify

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"maps"
	"slices"
)

// Pool is a set of certificates: trust anchors (Options.Roots) or untrusted
// intermediates (Options.Intermediates). It indexes them by subject name,
// the key that path building looks issuers up by (RFC 5280, 6.1.3(a)(4):
// a certificate's issuer name must equal its issuer's subject name).
//
// A Pool is not safe for concurrent modification; once filled it may be
// read by any number of Verify calls at once.
type Pool struct {
	certs     []*x509.Certificate
	bySubject map[string][]int
	byHash    map[[sha256.Size]byte]int
	// shared says the three fields above belong to another Pool too (the
	// cached system store: see SystemPool); the first AddCert copies them.
	shared bool
}

// NewPool returns an empty Pool.
func NewPool() *Pool {
	return &Pool{
		bySubject: make(map[string][]int),
		byHash:    make(map[[sha256.Size]byte]int),
	}
}

// AddCert adds cert to the pool. Nil certificates, certificates not
// produced by a parser (no Raw bytes) and exact duplicates are ignored.
func (p *Pool) AddCert(cert *x509.Certificate) {
	if cert == nil || len(cert.Raw) == 0 {
		return
	}
	if p.byHash == nil { // a zero Pool is usable too
		p.bySubject = make(map[string][]int)
		p.byHash = make(map[[sha256.Size]byte]int)
	}
	h := sha256.Sum256(cert.Raw)
	if _, dup := p.byHash[h]; dup {
		return
	}
	if p.shared {
		*p = *p.Clone()
	}
	p.byHash[h] = len(p.certs)
	key := string(cert.RawSubject)
	p.bySubject[key] = append(p.bySubject[key], len(p.certs))
	p.certs = append(p.certs, cert)
}

// AppendPEM parses every "CERTIFICATE" PEM block in pemCerts and adds the
// certificates it can parse. Blocks of other types and certificates that do
// not parse are skipped, as trust-store bundles routinely contain a few of
// each. It reports whether at least one certificate was added.
func (p *Pool) AppendPEM(pemCerts []byte) bool {
	added := false
	for len(pemCerts) > 0 {
		var block *pem.Block
		block, pemCerts = pem.Decode(pemCerts)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" || len(block.Headers) != 0 {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue
		}
		before := p.Len()
		p.AddCert(cert)
		added = added || p.Len() > before
	}
	return added
}

// sharedCopy returns a Pool that reads p's index in place and copies it
// on its first AddCert: handing out the cached system store costs nothing
// until someone adds to it.
func (p *Pool) sharedCopy() *Pool {
	return &Pool{certs: p.certs, bySubject: p.bySubject, byHash: p.byHash, shared: true}
}

// Clone returns a copy of the pool that can be added to without changing
// p. The certificates themselves are shared: they are never modified.
func (p *Pool) Clone() *Pool {
	out := NewPool()
	if p == nil {
		return out
	}
	out.certs = slices.Clone(p.certs)
	for k, v := range p.bySubject {
		out.bySubject[k] = slices.Clone(v)
	}
	maps.Copy(out.byHash, p.byHash)
	return out
}

// Len returns the number of distinct certificates in the pool.
func (p *Pool) Len() int {
	if p == nil {
		return 0
	}
	return len(p.certs)
}

// Subjects returns the DER-encoded subject names of the certificates in the
// pool, each distinct name once, in the order first added. A TLS server
// sends this list as certificate_authorities in its CertificateRequest
// (RFC 5246, 7.4.4).
func (p *Pool) Subjects() [][]byte {
	if p == nil {
		return nil
	}
	seen := make(map[string]bool, len(p.certs))
	var subjects [][]byte
	for _, c := range p.certs {
		if seen[string(c.RawSubject)] {
			continue
		}
		seen[string(c.RawSubject)] = true
		subjects = append(subjects, bytes.Clone(c.RawSubject))
	}
	return subjects
}

// contains reports whether exactly cert (byte for byte) is in the pool.
func (p *Pool) contains(cert *x509.Certificate) bool {
	if p == nil {
		return false
	}
	_, ok := p.byHash[sha256.Sum256(cert.Raw)]
	return ok
}

// issuersOf returns the certificates whose subject equals child's issuer
// name, best guesses first: those whose subjectKeyIdentifier equals child's
// authorityKeyIdentifier, then those where either identifier is missing,
// and last those whose identifiers disagree (RFC 5280, 4.2.1.1 and 4.2.1.2:
// the identifiers exist to pick the right key among same-named issuers,
// e.g. during a key rollover). Mismatching ones are still tried because
// key identifiers are hints, not part of the signature check.
func (p *Pool) issuersOf(child *x509.Certificate) []*x509.Certificate {
	if p == nil {
		return nil
	}
	idx := p.bySubject[string(child.RawIssuer)]
	var match, unknown, mismatch []*x509.Certificate
	for _, i := range idx {
		c := p.certs[i]
		switch {
		case len(child.AuthorityKeyId) == 0 || len(c.SubjectKeyId) == 0:
			unknown = append(unknown, c)
		case bytes.Equal(child.AuthorityKeyId, c.SubjectKeyId):
			match = append(match, c)
		default:
			mismatch = append(mismatch, c)
		}
	}
	out := make([]*x509.Certificate, 0, len(idx))
	out = append(out, match...)
	out = append(out, unknown...)
	return append(out, mismatch...)
}
