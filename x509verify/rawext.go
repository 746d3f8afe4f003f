package x509verify

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Some profile rules look at what crypto/x509 parses but does not keep: an
// extension's criticality, which fields of authorityKeyIdentifier are
// there, directoryName constraints. These helpers read the raw extensions
// with cryptobyte.

var (
	oidExtSubjectAltName   = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidExtBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidExtNameConstraints  = asn1.ObjectIdentifier{2, 5, 29, 30}
	oidExtAuthorityKeyID   = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtExtendedKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidExtSubjectKeyID     = asn1.ObjectIdentifier{2, 5, 29, 14}
)

// findExtension returns cert's extension with the given OID.
func findExtension(cert *x509.Certificate, oid asn1.ObjectIdentifier) (ext struct {
	Critical bool
	Value    []byte
}, ok bool) {
	for _, e := range cert.Extensions {
		if e.Id.Equal(oid) {
			ext.Critical, ext.Value = e.Critical, e.Value
			return ext, true
		}
	}
	return ext, false
}

// authorityKeyIDFields reports which of the three optional fields of
// cert's authorityKeyIdentifier (RFC 5280, 4.2.1.1) are present.
// present is false when there is no such extension.
func authorityKeyIDFields(cert *x509.Certificate) (present, keyID, issuerOrSerial bool) {
	ext, ok := findExtension(cert, oidExtAuthorityKeyID)
	if !ok {
		return false, false, false
	}
	s := cryptobyte.String(ext.Value)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return true, false, false // crypto/x509 would not have parsed it
	}
	keyID = seq.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific())
	issuerOrSerial = seq.PeekASN1Tag(cbasn1.Tag(1).ContextSpecific().Constructed()) ||
		seq.PeekASN1Tag(cbasn1.Tag(2).ContextSpecific())
	if keyID {
		seq.SkipASN1(cbasn1.Tag(0).ContextSpecific())
		issuerOrSerial = !seq.Empty()
	}
	return true, keyID, issuerOrSerial
}

// isEmptyName reports whether a DER Name is the empty RDNSequence.
func isEmptyName(der []byte) bool {
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	return s.ReadASN1(&seq, cbasn1.SEQUENCE) && seq.Empty()
}

// dnString renders a DER Name for an error message.
func dnString(der []byte) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &rdns); err != nil || len(rest) > 0 {
		return fmt.Sprintf("<unparsable name %x>", der)
	}
	var name pkix.Name
	name.FillFromRDNSequence(&rdns)
	return fmt.Sprintf("%q", name.String())
}
