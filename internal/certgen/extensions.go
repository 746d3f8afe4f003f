package certgen

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Extension OIDs that crypto/x509 parses but cannot write from a template.
var (
	oidPolicyMappings    = asn1.ObjectIdentifier{2, 5, 29, 33}
	oidPolicyConstraints = asn1.ObjectIdentifier{2, 5, 29, 36}
	oidInhibitAnyPolicy  = asn1.ObjectIdentifier{2, 5, 29, 54}
)

// AnyPolicy is the special policy identifier anyPolicy, 2.5.29.32.0
// (RFC 5280, 4.2.1.4): "the issuer does not wish to limit the set of
// policies".
var AnyPolicy = mustOID(2, 5, 29, 32, 0)

// TestPolicy returns the policy identifier 1.3.6.1.4.1.55555.1.n, under
// a private enterprise arc, for tests that need distinct policies.
func TestPolicy(n uint64) x509.OID {
	return mustOID(1, 3, 6, 1, 4, 1, 55555, 1, n)
}

func mustOID(arcs ...uint64) x509.OID {
	oid, err := x509.OIDFromInts(arcs)
	if err != nil {
		panic(err)
	}
	return oid
}

// PolicyConstraints builds a policyConstraints extension (RFC 5280,
// 4.2.1.11):
//
//	PolicyConstraints ::= SEQUENCE {
//	     requireExplicitPolicy   [0] SkipCerts OPTIONAL,
//	     inhibitPolicyMapping    [1] SkipCerts OPTIONAL }
//
// A negative value leaves that field out. RFC 5280 says conforming CAs
// MUST mark it critical; critical=false makes one that does not.
func PolicyConstraints(requireExplicitPolicy, inhibitPolicyMapping int, critical bool) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if requireExplicitPolicy >= 0 {
			b.AddASN1Int64WithTag(int64(requireExplicitPolicy), cbasn1.Tag(0).ContextSpecific())
		}
		if inhibitPolicyMapping >= 0 {
			b.AddASN1Int64WithTag(int64(inhibitPolicyMapping), cbasn1.Tag(1).ContextSpecific())
		}
	})
	return pkix.Extension{Id: oidPolicyConstraints, Critical: critical, Value: b.BytesOrPanic()}
}

// InhibitAnyPolicy builds an inhibitAnyPolicy extension (RFC 5280,
// 4.2.1.14), "InhibitAnyPolicy ::= SkipCerts", always critical as the RFC
// requires.
func InhibitAnyPolicy(skipCerts int) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1Int64(int64(skipCerts))
	return pkix.Extension{Id: oidInhibitAnyPolicy, Critical: true, Value: b.BytesOrPanic()}
}

// PolicyMappings builds a policyMappings extension (RFC 5280, 4.2.1.5),
// critical as the RFC says it SHOULD be:
//
//	PolicyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
//	     issuerDomainPolicy      CertPolicyId,
//	     subjectDomainPolicy     CertPolicyId }
func PolicyMappings(mappings ...x509.PolicyMapping) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, m := range mappings {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				addOID(b, m.IssuerDomainPolicy)
				addOID(b, m.SubjectDomainPolicy)
			})
		}
	})
	return pkix.Extension{Id: oidPolicyMappings, Critical: true, Value: b.BytesOrPanic()}
}

// addOID writes oid as a DER OBJECT IDENTIFIER; x509.OID marshals to
// exactly its content octets.
func addOID(b *cryptobyte.Builder, oid x509.OID) {
	content, err := oid.MarshalBinary()
	if err != nil {
		b.SetError(err)
		return
	}
	b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes(content) })
}

// Extensions that crypto/x509 writes from a template, but only in their
// conforming form. These write them as they are needed to break a rule.
var (
	oidBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidSubjectAltName   = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidAuthorityKeyID   = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidNameConstraints  = asn1.ObjectIdentifier{2, 5, 29, 30}
)

// BasicConstraints builds basicConstraints (RFC 5280, 4.2.1.9),
// "SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }",
// without a pathLenConstraint. Put in a template whose IsCA is false, it
// also keeps crypto/x509 from adding a subjectKeyIdentifier.
func BasicConstraints(isCA, critical bool) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if isCA { // DER leaves out a BOOLEAN equal to its DEFAULT
			b.AddASN1Boolean(true)
		}
	})
	return pkix.Extension{Id: oidBasicConstraints, Critical: critical, Value: b.BytesOrPanic()}
}

// SubjectAltNameDNS builds a subjectAltName (RFC 5280, 4.2.1.6) of
// dNSNames, critical or not as asked.
func SubjectAltNameDNS(critical bool, names ...string) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, n := range names {
			b.AddASN1(cbasn1.Tag(2).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes([]byte(n)) })
		}
	})
	return pkix.Extension{Id: oidSubjectAltName, Critical: critical, Value: b.BytesOrPanic()}
}

// AuthorityKeyID builds an authorityKeyIdentifier (RFC 5280, 4.2.1.1):
//
//	AuthorityKeyIdentifier ::= SEQUENCE {
//	    keyIdentifier             [0] KeyIdentifier           OPTIONAL,
//	    authorityCertIssuer       [1] GeneralNames            OPTIONAL,
//	    authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
//
// A nil keyID leaves keyIdentifier out; a non-nil issuer (a DER Name)
// adds authorityCertIssuer and authorityCertSerialNumber.
func AuthorityKeyID(keyID []byte, issuer []byte, serial int64) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if keyID != nil {
			b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(keyID) })
		}
		if issuer != nil {
			b.AddASN1(cbasn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.Tag(4).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) { b.AddBytes(issuer) })
			})
			b.AddASN1Int64WithTag(serial, cbasn1.Tag(2).ContextSpecific())
		}
	})
	return pkix.Extension{Id: oidAuthorityKeyID, Value: b.BytesOrPanic()}
}

// ExtKeyUsage builds an extKeyUsage extension (RFC 5280, 4.2.1.12) of
// the given purposes, critical or not as asked.
func ExtKeyUsage(critical bool, purposes ...asn1.ObjectIdentifier) pkix.Extension {
	value, err := asn1.Marshal(purposes)
	if err != nil {
		panic(err)
	}
	return pkix.Extension{Id: oidExtKeyUsage, Critical: critical, Value: value}
}

// DirectoryNameConstraints builds a nameConstraints extension
// (RFC 5280, 4.2.1.10) with one permitted directoryName subtree, the DER
// Name permitted, critical or not as asked. crypto/x509 cannot write
// directoryName constraints.
func DirectoryNameConstraints(permitted []byte, critical bool) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // GeneralSubtree
				b.AddASN1(cbasn1.Tag(4).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) { b.AddBytes(permitted) })
			})
		})
	})
	return pkix.Extension{Id: oidNameConstraints, Critical: critical, Value: b.BytesOrPanic()}
}
