// Package certgen mints the small public-key infrastructure that glasstls
// tests run against: a root CA, RSA and ECDSA server and client
// certificates, and a handful of deliberately broken certificates (expired,
// forged by an impostor CA, issued for the wrong host).
//
// It is test tooling, not part of the TLS library. The certificates it makes
// follow RFC 5280 profile rules that TLS 1.2 cares about:
//
//   - RFC 5280, 4.2.1.9: CA certificates carry basicConstraints cA=TRUE.
//   - RFC 5280, 4.2.1.3: keyUsage; a CA needs keyCertSign, an RSA server
//     certificate needs keyEncipherment for RSA key exchange
//     (RFC 5246, 7.4.7.1) and digitalSignature for ephemeral key exchanges
//     (RFC 5246, 7.4.3).
//   - RFC 5280, 4.2.1.12: extendedKeyUsage serverAuth / clientAuth.
//   - RFC 5280, 4.2.1.6: subjectAltName, which is where RFC 6125 says host
//     names are checked.
//
// For x509verify's policy processing and profile rules it can also make
// what a conforming CA never would: intermediates (Issuer.NewIntermediate)
// with policies and the policy extensions crypto/x509 cannot write
// (extensions.go), hand-written basicConstraints, subjectAltName,
// authorityKeyIdentifier, extKeyUsage and directoryName constraints with
// the criticality a test needs, templates changed just before signing
// (WithCATemplate, Template.Modify), keys the Web PKI refuses (RSA1024,
// ECDSAP224, Ed25519) and a DSA key put in by re-signing
// (ReplaceSubjectPublicKeyInfo).
//
// The fixed set of files in the repository's testdata directory is written
// by the gencerts command (go run ./internal/certgen/gencerts); tests that
// need something else can mint certificates on the fly with NewCA and
// Issuer.Issue.
package certgen
