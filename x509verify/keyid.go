package x509verify

import (
	"bytes"
	"crypto/x509"
	"errors"
)

// keyIDsDiffer reports whether candidate's subjectKeyIdentifier and child's
// authorityKeyIdentifier are both present and different. RFC 5280,
// 4.2.1.1: the authorityKeyIdentifier "identifies the public key
// corresponding to the private key used to sign a certificate", and
// 4.2.1.2: the subjectKeyIdentifier identifies the key a certificate
// certifies. When both are there and disagree, child says it was signed
// by some other key than candidate's. Absent identifiers say nothing.
func keyIDsDiffer(child, candidate *x509.Certificate) bool {
	return len(child.AuthorityKeyId) > 0 && len(candidate.SubjectKeyId) > 0 &&
		!bytes.Equal(child.AuthorityKeyId, candidate.SubjectKeyId)
}

// notTheIssuer reports whether err, from checking candidate as the issuer
// of child, means candidate is simply another CA that shares the issuer's
// name: its key does not verify child's signature AND the key identifiers
// say child was signed by a different key. That is what a forgery from a
// self-made CA with a copied name looks like, and also an issuer that is
// missing from the pool while a same-named CA (say, before a key rollover)
// is present. It is not evidence of tampering.
//
// When the identifiers match, or either is absent, a failed signature
// stays a BadSignatureError: the certificate names this very key as its
// signer, so either its bytes were changed after signing, or a forger
// copied the key identifier too; the two cannot be told apart.
//
// Identifiers only order and classify candidates; the signature decides.
// A candidate whose key verifies the signature is accepted whatever its
// identifier says (RFC 5280, 4.2.1.2 only suggests how to derive one, so a
// CA may re-issue its certificate with a different identifier).
func notTheIssuer(err error, child, candidate *x509.Certificate) bool {
	var bad *BadSignatureError
	return errors.As(err, &bad) && keyIDsDiffer(child, candidate)
}
