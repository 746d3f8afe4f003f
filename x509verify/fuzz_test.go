package x509verify

import (
	"crypto/x509"
	"encoding/binary"
	"testing"
	"time"
)

// splitDERs cuts data into certificates, each prefixed by a two-byte
// big-endian length. A short or truncated tail is dropped.
func splitDERs(data []byte) [][]byte {
	var out [][]byte
	for len(data) >= 2 && len(out) < 16 {
		n := int(binary.BigEndian.Uint16(data))
		data = data[2:]
		if n > len(data) {
			break
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	return out
}

func joinDERs(ders ...[]byte) []byte {
	var out []byte
	for _, d := range ders {
		out = binary.BigEndian.AppendUint16(out, uint16(len(d)))
		out = append(out, d...)
	}
	return out
}

// FuzzVerify feeds arbitrary DER "chains" to Verify: the first parsable
// certificate is the leaf, the last is trusted, all are intermediates.
// Verify must neither panic nor take long, whatever the certificates say.
// mode picks the profile (mode % 3) and the RFC 5280, 6.1 policy inputs
// (bits 2-4), so every profile rule and the policy tree see the input.
func FuzzVerify(f *testing.F) {
	p := newPKI(f)
	f.Add(joinDERs(p.leaf.cert.Raw, p.inter.cert.Raw, p.root.cert.Raw), "www.example.com", uint8(0))
	f.Add(joinDERs(p.leaf.cert.Raw, p.root.cert.Raw), "x.api.example.com", uint8(1))
	f.Add(joinDERs(p.root.cert.Raw), "", uint8(2))
	cross := crossSign(f, p.inter, p.root)
	f.Add(joinDERs(p.leaf.cert.Raw, cross.cert.Raw, p.inter.cert.Raw, p.root.cert.Raw), "192.0.2.1", uint8(0x1e))
	f.Add([]byte{0x00, 0x03, 0x30, 0x01, 0x00}, "a", uint8(0))

	f.Fuzz(func(t *testing.T, data []byte, host string, mode uint8) {
		var certs []*x509.Certificate
		for _, der := range splitDERs(data) {
			if c, err := x509.ParseCertificate(der); err == nil {
				certs = append(certs, c)
			}
		}
		if len(certs) == 0 {
			return
		}
		roots, inters := NewPool(), NewPool()
		roots.AddCert(certs[len(certs)-1])
		for _, c := range certs {
			inters.AddCert(c)
		}
		start := time.Now()
		opts := Options{Roots: roots, Intermediates: inters, DNSName: host, Now: testNow, MaxDepth: 6,
			Profile:               Profile(mode % 3),
			RequireExplicitPolicy: mode&4 != 0,
			InhibitPolicyMapping:  mode&8 != 0,
			InhibitAnyPolicy:      mode&16 != 0,
		}
		if mode&32 != 0 {
			opts.CertificatePolicies = []x509.OID{policyP}
		}
		chains, lints, err := VerifyWithLints(certs[0], opts)
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Fatalf("Verify took %v", elapsed)
		}
		if err == nil && len(chains) == 0 {
			t.Fatal("no error and no chain")
		}
		if err != nil && chains != nil {
			t.Fatal("both an error and chains")
		}
		if len(lints) != len(chains) {
			t.Fatalf("%d lint lists for %d chains", len(lints), len(chains))
		}
		for _, l := range lints {
			if opts.Profile == ProfileWebPKI && len(l) > 0 {
				t.Fatalf("lints under ProfileWebPKI, which enforces every rule: %v", l)
			}
		}
		for _, chain := range chains {
			if chain[0] != certs[0] || !roots.contains(chain[len(chain)-1]) {
				t.Fatalf("chain does not run from the leaf to a root")
			}
		}
	})
}
