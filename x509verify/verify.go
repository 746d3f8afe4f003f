package x509verify

import (
	"bytes"
	"crypto/x509"
	"errors"
	"slices"
)

// Verify checks leaf against opts and returns every valid chain from leaf
// to a certificate in opts.Roots. Each chain starts with leaf and ends with
// the root; the intermediates come from opts.Intermediates.
//
// The leaf's own checks (critical extensions, validity, host name) come
// first and fail immediately. Then paths are
// built depth-first towards the roots, every candidate issuer checked as it
// is added (see doc.go for the steps).
//
// A candidate issuer is one whose subject name equals the child's issuer
// name. If its key does not verify the child's signature, the key
// identifiers decide what that means (RFC 5280, 4.2.1.1: the child's
// authorityKeyIdentifier names the key that signed it):
//
//   - the candidate's subjectKeyIdentifier is present and differs from
//     the child's authorityKeyIdentifier: the candidate is a namesake,
//     not the issuer (a self-made CA copying a trusted name, or a CA
//     that re-keyed). If no candidate works, the result is
//     UnknownAuthorityError listing the namesakes in OtherKeys: whoever
//     signed the child is not trusted.
//   - the identifiers match, or either is absent: the candidate is the
//     issuer the child names, so the child was altered after signing (or
//     forged with a copied key identifier, which looks the same):
//     BadSignatureError.
//
// When no chain is valid, the error returned is the one from the candidate
// path that got furthest from the leaf: an error about the certificate at
// position n (leaf = 0) beats one about position n-1, and at the same
// position a check that failed on a certificate that was found beats
// UnknownAuthorityError (an issuer that was not found, namesakes with
// another key included). Among equals the first one met wins; candidates
// are tried roots first, then by key identifier match. If the signature
// budget (MaxSignatureChecks) ran out, BudgetExceededError is returned
// instead, since the search was incomplete and any other answer might be
// wrong.
func Verify(leaf *x509.Certificate, opts Options) ([][]*x509.Certificate, error) {
	b, err := verify(leaf, opts)
	if err != nil {
		return nil, err
	}
	return b.chains, nil
}

// verify is Verify, returning the whole search state (chains and lints).
func verify(leaf *x509.Certificate, opts Options) (*pathBuilder, error) {
	if leaf == nil || len(leaf.Raw) == 0 {
		return nil, ErrNoLeaf
	}
	if opts.Roots == nil {
		return nil, ErrNoRoots
	}
	opts = opts.withDefaults()

	if err := checkLeaf(leaf, opts); err != nil {
		return nil, err
	}

	b := &pathBuilder{opts: opts, budget: MaxSignatureChecks}
	if opts.Roots.contains(leaf) {
		// The leaf is itself a trust anchor: the chain is just [leaf].
		b.complete([]*x509.Certificate{leaf})
	} else {
		b.extend([]*x509.Certificate{leaf})
	}
	if len(b.chains) > 0 {
		return b, nil
	}
	if b.exhausted {
		return nil, &BudgetExceededError{Checks: MaxSignatureChecks - b.budget}
	}
	if b.best == nil {
		// Unreachable: every dead end records an error.
		return nil, errors.New("x509verify: internal error: no chain and no error")
	}
	return nil, b.best
}

// checkLeaf runs the checks that only concern the leaf and do not depend
// on which path is chosen.
func checkLeaf(leaf *x509.Certificate, opts Options) error {
	if err := opts.observe(leaf, nil, "critical extensions understood", "RFC 5280, 4.2", checkCriticalExtensions(leaf, opts.Profile)); err != nil {
		return err
	}
	if err := opts.observe(leaf, nil, "validity period", "RFC 5280, 4.1.2.5", checkValidity(leaf, opts.Now)); err != nil {
		return err
	}
	if opts.DNSName == "" && opts.IP == nil {
		return nil // no name to check (a client certificate)
	}
	return opts.observe(leaf, nil, "host name in subjectAltName", "RFC 9525, 6", checkHostname(leaf, opts.DNSName, opts.IP))
}

// pathBuilder holds the state of one depth-first search for chains.
type pathBuilder struct {
	opts      Options
	budget    int // signature checks left
	exhausted bool
	chains    [][]*x509.Certificate
	lints     [][]Lint // lints[i]: the stricter profiles' rules chains[i] breaks
	best      error
	bestScore int
}

// record keeps err if it is more informative than the best so far:
// position is the index in the chain of the certificate err is about, and
// found says whether that certificate exists (false only for
// UnknownAuthorityError, which is about a missing issuer).
func (b *pathBuilder) record(err error, position int, found bool) {
	// The error from the path that got furthest tells the user most: an
	// expired intermediate says more than "unknown issuer" of the leaf.
	// So the score is the position first; at the same position, an error
	// about a certificate we hold beats an UnknownAuthorityError about one
	// we could not find there. Doubling the position leaves room for that
	// tie-break without letting it outrank a deeper path.
	score := 2 * position
	if found {
		score++
	}
	if b.best == nil || score > b.bestScore {
		b.best, b.bestScore = err, score
	}
}

// extend tries every candidate issuer of the last certificate in chain.
// chain is never modified; each extension gets a fresh slice so that the
// returned chains do not share backing arrays.
func (b *pathBuilder) extend(chain []*x509.Certificate) {
	child := chain[len(chain)-1]
	pos := len(chain) // position the issuer would take

	// RFC 5280, 6.1.3(a)(1): the signature must be checkable at all.
	if err := b.opts.observe(child, nil, "signature algorithm acceptable", "RFC 5280, 6.1.3(a)(1)", checkSignatureAlgorithm(child)); err != nil {
		b.record(err, pos-1, true)
		return
	}

	roots := b.opts.Roots.issuersOf(child)
	intermediates := b.opts.Intermediates.issuersOf(child)
	if len(roots)+len(intermediates) == 0 {
		b.record(unknownAuthority(child), pos, false)
		return
	}
	if pathDepth(chain) >= b.opts.MaxDepth {
		b.record(&ChainTooLongError{Cert: child, MaxDepth: b.opts.MaxDepth}, pos, true)
		return
	}

	considered := false
	// otherKeys collects candidates that carry the issuer's name but,
	// by key identifier and signature, another key: not the issuer.
	var otherKeys []*x509.Certificate
	for _, root := range roots {
		if b.exhausted || inChain(root, chain) {
			continue
		}
		considered = true
		full := appendFresh(chain, root)
		if err := b.checkIssuer(full, true); err != nil {
			if notTheIssuer(err, child, root) {
				otherKeys = append(otherKeys, root)
				continue
			}
			b.record(err, pos, true)
			continue
		}
		b.complete(full)
	}
	for _, inter := range intermediates {
		if b.exhausted || inChain(inter, chain) {
			continue
		}
		// A certificate both trusted and supplied as intermediate was
		// already tried as a root; going past a root adds nothing.
		if b.opts.Roots.contains(inter) {
			continue
		}
		considered = true
		longer := appendFresh(chain, inter)
		if err := b.checkIssuer(longer, false); err != nil {
			if notTheIssuer(err, child, inter) {
				otherKeys = append(otherKeys, inter)
				continue
			}
			b.record(err, pos, true)
			continue
		}
		b.extend(longer)
	}
	if len(otherKeys) > 0 {
		// The real issuer was not found, only namesakes: this is an
		// unknown authority, ranked as one (see Verify).
		b.record(&UnknownAuthorityError{Cert: child, Issuer: child.Issuer.String(), OtherKeys: otherKeys}, pos, false)
	}
	if !considered && !b.exhausted {
		// Every same-named candidate was already in the chain (a loop).
		b.record(unknownAuthority(child), pos, false)
	}
}

// checkIssuer runs every check on the certificate just appended to chain,
// the issuer of the one before it. Signature first: only once the key is
// known to be the right one do the candidate's other properties matter.
func (b *pathBuilder) checkIssuer(chain []*x509.Certificate, isRoot bool) error {
	issuer := chain[len(chain)-1]
	child := chain[len(chain)-2]
	below := chain[:len(chain)-1]

	if b.budget == 0 {
		b.exhausted = true
		return &BudgetExceededError{Checks: MaxSignatureChecks}
	}
	b.budget--
	o := &b.opts
	if err := o.observe(child, issuer, "signature", "RFC 5280, 6.1.3(a)(1)", checkSignature(child, issuer)); err != nil {
		return err
	}
	if err := o.observe(issuer, nil, "validity period", "RFC 5280, 4.1.2.5", checkValidity(issuer, b.opts.Now)); err != nil {
		return err
	}
	if err := o.observe(issuer, nil, "critical extensions understood", "RFC 5280, 4.2", checkCriticalExtensions(issuer, b.opts.Profile)); err != nil {
		return err
	}
	// RFC 5280, 6.1.1(d): a trust anchor is a name and a key, taken as
	// given; its cA bit and keyUsage are not path-validation inputs (many
	// old roots are v1 certificates without extensions). Its validity,
	// critical extensions, pathLenConstraint and name constraints are still
	// honoured (RFC 5937 allows using them as trust anchor constraints), as
	// crypto/x509 does too.
	if !isRoot {
		if err := o.observe(issuer, nil, "basicConstraints cA", "RFC 5280, 6.1.4(k)", checkIsCA(issuer)); err != nil {
			return err
		}
		if err := o.observe(issuer, nil, "keyUsage keyCertSign", "RFC 5280, 6.1.4(n)", checkKeyCertSign(issuer)); err != nil {
			return err
		}
	}
	if err := o.observe(issuer, nil, "pathLenConstraint", "RFC 5280, 6.1.4(m)", checkPathLen(issuer, below)); err != nil {
		return err
	}
	return o.observe(issuer, nil, "name constraints", "RFC 5280, 6.1.3(b)", checkNameConstraints(issuer, below))
}

// complete runs the whole-chain checks on a chain that reached a root and
// keeps it if they pass.
func (b *pathBuilder) complete(chain []*x509.Certificate) {
	root := chain[len(chain)-1]
	b.opts.observe(root, nil, "trust anchor in the root pool", "RFC 5280, 6.1.1(d)", nil)
	if err := b.opts.observe(chain[0], nil, "certificate policies", "RFC 5280, 6.1", checkPolicies(chain, b.opts)); err != nil {
		b.record(err, len(chain), true)
		return
	}
	if err := b.opts.observe(chain[0], nil, "extendedKeyUsage", "RFC 5280, 4.2.1.12", checkExtKeyUsage(chain, b.opts.KeyUsages)); err != nil {
		b.record(err, len(chain), true)
		return
	}
	lints, err := checkProfile(chain, b.opts)
	if err := b.opts.observe(chain[0], nil, "profile rules ("+b.opts.Profile.String()+")", "x509verify.Profile (profile.go)", err); err != nil {
		b.record(err, len(chain), true)
		return
	}
	b.chains = append(b.chains, chain)
	b.lints = append(b.lints, lints)
}

// pathDepth counts the certificates of chain against Options.MaxDepth:
// all of them except self-issued intermediates, which RFC 5280, 6.1.4(l)
// does not count against a path length either (a CA's key rollover
// certificates lengthen the path without adding an authority).
func pathDepth(chain []*x509.Certificate) int {
	depth := len(chain)
	for _, c := range chain[1:] {
		if selfIssued(c) {
			depth--
		}
	}
	return depth
}

// inChain reports whether cand already appears in chain, judged by subject
// name and public key rather than bytes: two cross-signed certificates for
// the same CA key are the same node of the PKI graph, and following both
// would loop (RFC 4158, 5.2).
func inChain(cand *x509.Certificate, chain []*x509.Certificate) bool {
	return slices.ContainsFunc(chain, func(c *x509.Certificate) bool {
		return bytes.Equal(c.RawSubject, cand.RawSubject) &&
			bytes.Equal(c.RawSubjectPublicKeyInfo, cand.RawSubjectPublicKeyInfo)
	})
}

func appendFresh(chain []*x509.Certificate, cert *x509.Certificate) []*x509.Certificate {
	out := make([]*x509.Certificate, len(chain), len(chain)+1)
	copy(out, chain)
	return append(out, cert)
}

func unknownAuthority(child *x509.Certificate) error {
	return &UnknownAuthorityError{Cert: child, Issuer: child.Issuer.String()}
}
