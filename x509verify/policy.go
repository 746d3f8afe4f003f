package x509verify

import (
	"crypto/x509"
	"slices"
)

// Certificate policies (RFC 5280, 4.2.1.4-5, 4.2.1.11, 4.2.1.14 and 6.1).
//
// A CA states under which policies it issued a certificate
// (certificatePolicies), may declare its policies equivalent to another
// CA's (policyMappings), and may demand that every path below it carry an
// acceptable policy (policyConstraints requireExplicitPolicy) or stop
// honouring anyPolicy and mappings (inhibitAnyPolicy,
// inhibitPolicyMapping). RFC 5280, 6.1 turns that into a
// valid_policy_tree grown one level per certificate of the path.
//
// Here the tree is kept the way RFC 9618 redrew it: at each depth at most
// one node per policy, with as many parents as it needs. It answers the
// same questions as RFC 5280's tree, but a path of certificates that each
// list many policies can no longer make it grow exponentially (RFC 9618,
// 1: a few certificates were enough to exhaust a verifier's memory).
//
// The path is numbered as in RFC 5280, 6.1: certificate 1 is the one the
// trust anchor issued, certificate n the leaf; the trust anchor itself is
// not processed (6.1.1(d)). Policy qualifiers are not kept: this package
// returns no policies, only a verdict.

// anyPolicyKey is anyPolicy, 2.5.29.32.0 (RFC 5280, 4.2.1.4), as the
// string of its DER contents, the key policies are compared by.
var anyPolicyKey = policyKey(mustOID(2, 5, 29, 32, 0))

func mustOID(arcs ...uint64) x509.OID {
	oid, err := x509.OIDFromInts(arcs)
	if err != nil {
		panic(err)
	}
	return oid
}

// policyKey is a policy identifier in a comparable form: its DER
// contents. (x509.OID.Equal compares the same bytes.)
func policyKey(oid x509.OID) string {
	der, _ := oid.MarshalBinary() // cannot fail: it only copies the bytes
	return string(der)
}

// policyNode is one node of the valid_policy_tree (RFC 5280, 6.1.2(a)):
// a policy that is valid for the path so far, and the policies a
// certificate below may assert to stay under it (expected_policy_set,
// different from {validPolicy} only after a mapping).
type policyNode struct {
	validPolicy string
	expected    []string
	parents     []*policyNode
}

func (n *policyNode) expects(policy string) bool {
	return slices.Contains(n.expected, policy)
}

// policyTree is the valid_policy_tree: levels[d] holds the nodes of depth
// d by valid policy. A NULL tree (RFC 5280: "the valid_policy_tree is set
// to NULL") is a nil *policyTree.
type policyTree struct {
	levels []map[string]*policyNode
}

// newPolicyTree is RFC 5280, 6.1.2(a): "the initial value of the
// valid_policy_tree is a single node with valid_policy anyPolicy, an empty
// qualifier_set, and an expected_policy_set with the single value
// anyPolicy. This node is considered to be at depth zero."
func newPolicyTree() *policyTree {
	root := &policyNode{validPolicy: anyPolicyKey, expected: []string{anyPolicyKey}}
	return &policyTree{levels: []map[string]*policyNode{{anyPolicyKey: root}}}
}

func (t *policyTree) depth() int { return len(t.levels) - 1 }

// addNode puts a node for policy at depth d under parent, or gives the
// existing one another parent (RFC 9618, 5.3: one node per policy per
// depth).
func (t *policyTree) addNode(d int, policy string, parent *policyNode) *policyNode {
	if n, ok := t.levels[d][policy]; ok {
		if !slices.Contains(n.parents, parent) {
			n.parents = append(n.parents, parent)
		}
		return n
	}
	n := &policyNode{validPolicy: policy, expected: []string{policy}, parents: []*policyNode{parent}}
	t.levels[d][policy] = n
	return n
}

// remove deletes n from depth d, and every node below that has no parent
// left because of it.
func (t *policyTree) remove(d int, n *policyNode) {
	delete(t.levels[d], n.validPolicy)
	if d+1 >= len(t.levels) {
		return
	}
	for _, child := range t.levels[d+1] {
		child.parents = slices.DeleteFunc(child.parents, func(p *policyNode) bool { return p == n })
		if len(child.parents) == 0 {
			t.remove(d+1, child)
		}
	}
}

// prune deletes, from depth below-1 up to the root, every node without a
// child, over and over (RFC 5280, 6.1.3(d)(3)). It returns nil, the NULL
// tree, when nothing is left.
func (t *policyTree) prune(below int) *policyTree {
	for d := below - 1; d >= 0; d-- {
		for _, n := range t.levels[d] {
			if !t.hasChild(d, n) {
				delete(t.levels[d], n.validPolicy)
			}
		}
	}
	if len(t.levels[0]) == 0 {
		return nil
	}
	return t
}

func (t *policyTree) hasChild(d int, n *policyNode) bool {
	for _, child := range t.levels[d+1] {
		if slices.Contains(child.parents, n) {
			return true
		}
	}
	return false
}

// policyState is the state RFC 5280, 6.1.2 initialises and 6.1.3-6.1.4
// update for each certificate of the path.
type policyState struct {
	tree             *policyTree
	explicitPolicy   int // 6.1.2(d): certificates left before a policy is required
	inhibitAnyPolicy int // 6.1.2(e): certificates left in which anyPolicy still counts
	policyMapping    int // 6.1.2(f): certificates left in which mappings still apply
}

// initPolicyState is RFC 5280, 6.1.2(a) and (d)-(f): each counter starts
// at n+1, or at 0 when the caller set the matching initial input
// (6.1.1(e)-(g)).
func initPolicyState(n int, opts Options) policyState {
	s := policyState{tree: newPolicyTree(), explicitPolicy: n + 1, inhibitAnyPolicy: n + 1, policyMapping: n + 1}
	if opts.RequireExplicitPolicy {
		s.explicitPolicy = 0
	}
	if opts.InhibitAnyPolicy {
		s.inhibitAnyPolicy = 0
	}
	if opts.InhibitPolicyMapping {
		s.policyMapping = 0
	}
	return s
}

// checkPolicies runs RFC 5280, 6.1 certificate-policy processing over
// chain (leaf first, trust anchor last) and reports the first certificate
// after which no acceptable policy is left while one is required.
func checkPolicies(chain []*x509.Certificate, opts Options) error {
	n := len(chain) - 1 // the trust anchor is not certificate of the path
	if n == 0 {
		return nil // a trusted leaf: no path to process
	}
	s := initPolicyState(n, opts)
	for i := 1; i <= n; i++ {
		pos := n - i // index in chain
		cert := chain[pos]
		s.processCertificatePolicies(cert, i, n)
		if err := s.checkExplicitPolicy(cert, pos, "6.1.3(f)"); err != nil {
			return err
		}
		if i == n {
			break
		}
		if err := s.processPolicyMappings(cert, i, pos); err != nil {
			return err
		}
		s.updatePolicyCounters(cert)
	}
	leaf := chain[0]
	s.wrapUpExplicitPolicy(leaf)
	s.tree = s.tree.intersect(n, opts.CertificatePolicies)
	return s.checkExplicitPolicy(leaf, 0, "6.1.5(g)")
}

// processCertificatePolicies is RFC 5280, 6.1.3(d)-(e) for certificate i
// of n: grow the tree one level with the policies cert asserts, or, if it
// asserts none, set the tree to NULL.
func (s *policyState) processCertificatePolicies(cert *x509.Certificate, i, n int) {
	if s.tree == nil {
		return
	}
	// 6.1.3(e): "If the certificate policies extension is not present,
	// set the valid_policy_tree to NULL."
	if len(cert.Policies) == 0 {
		s.tree = nil
		return
	}
	t := s.tree
	t.levels = append(t.levels, map[string]*policyNode{})
	above := t.levels[i-1]
	hasAnyPolicy := false
	for _, oid := range cert.Policies {
		p := policyKey(oid)
		if p == anyPolicyKey {
			hasAnyPolicy = true
			continue
		}
		// 6.1.3(d)(1)(i): a child under every node of depth i-1 that
		// expects P.
		matched := false
		for _, parent := range sortedNodes(above) {
			if parent.expects(p) {
				t.addNode(i, p, parent)
				matched = true
			}
		}
		// 6.1.3(d)(1)(ii): "If there was no match in step (i) and the
		// valid_policy_tree includes a node of depth i-1 with the
		// valid_policy anyPolicy, generate a child node" for P.
		if any, ok := above[anyPolicyKey]; !matched && ok {
			t.addNode(i, p, any)
		}
	}
	// 6.1.3(d)(2): anyPolicy in the certificate stands for every policy
	// still expected above, while inhibit_anyPolicy allows it, and always
	// in a self-issued intermediate.
	// RFC 9618 words it for the graph: each policy some node of depth i-1
	// expects, and that has no node at depth i yet, gets one, under every
	// node that expects it.
	if hasAnyPolicy && (s.inhibitAnyPolicy > 0 || (i < n && selfIssued(cert))) {
		missing := map[string]bool{}
		for _, parent := range above {
			for _, p := range parent.expected {
				if _, exists := t.levels[i][p]; !exists {
					missing[p] = true
				}
			}
		}
		for _, parent := range sortedNodes(above) {
			for _, p := range parent.expected {
				if missing[p] {
					t.addNode(i, p, parent)
				}
			}
		}
	}
	// 6.1.3(d)(3): prune the nodes left without children.
	s.tree = t.prune(i)
}

// checkExplicitPolicy is RFC 5280, 6.1.3(f) (and the final test of
// 6.1.5(g)): "Verify that either explicit_policy is greater than 0 or the
// valid_policy_tree is not equal to NULL".
func (s *policyState) checkExplicitPolicy(cert *x509.Certificate, pos int, step string) error {
	if s.explicitPolicy > 0 || s.tree != nil {
		return nil
	}
	return &PolicyError{Cert: cert, Position: pos, Step: step,
		Reason: "an explicit certificate policy is required here, but no policy acceptable to every certificate of the path is left"}
}

// processPolicyMappings is RFC 5280, 6.1.4(a)-(b) for intermediate
// certificate i: refuse mappings to or from anyPolicy, then either apply
// the mappings to the nodes of depth i or, once inhibitPolicyMapping has
// taken effect, delete the nodes of the mapped policies.
func (s *policyState) processPolicyMappings(cert *x509.Certificate, i, pos int) error {
	if len(cert.PolicyMappings) == 0 {
		return nil
	}
	// 6.1.4(a): "If a policy mappings extension is present, verify that
	// the special value anyPolicy does not appear as an issuerDomainPolicy
	// or a subjectDomainPolicy."
	mapped := map[string][]string{}
	var order []string
	for _, m := range cert.PolicyMappings {
		from, to := policyKey(m.IssuerDomainPolicy), policyKey(m.SubjectDomainPolicy)
		if from == anyPolicyKey || to == anyPolicyKey {
			return &PolicyError{Cert: cert, Position: pos, Step: "6.1.4(a)",
				Reason: "policyMappings maps to or from anyPolicy"}
		}
		if _, seen := mapped[from]; !seen {
			order = append(order, from)
		}
		if !slices.Contains(mapped[from], to) {
			mapped[from] = append(mapped[from], to)
		}
	}
	if s.tree == nil {
		return nil
	}
	t := s.tree
	level := t.levels[i]
	for _, from := range order {
		if s.policyMapping > 0 {
			// 6.1.4(b)(1): the node for ID-P now expects the subject
			// domain policies; if there is none but an anyPolicy node,
			// one is made under anyPolicy's parent.
			if n, ok := level[from]; ok {
				n.expected = slices.Clone(mapped[from])
			} else if any, ok := level[anyPolicyKey]; ok {
				for _, parent := range any.parents {
					n := t.addNode(i, from, parent)
					n.expected = slices.Clone(mapped[from])
				}
			}
			continue
		}
		// 6.1.4(b)(2): "If the policy_mapping variable is equal to 0:
		// delete each node of depth i in the valid_policy_tree where
		// ID-P is the valid_policy" and prune.
		if n, ok := level[from]; ok {
			t.remove(i, n)
		}
	}
	if s.policyMapping == 0 {
		s.tree = t.prune(i)
	}
	return nil
}

// updatePolicyCounters is RFC 5280, 6.1.4(h)-(j): every certificate that
// is not self-issued brings the three counters one step closer to zero,
// and the certificate's own policyConstraints and inhibitAnyPolicy can
// bring them closer still.
func (s *policyState) updatePolicyCounters(cert *x509.Certificate) {
	// 6.1.4(h): self-issued certificates (key rollover) do not count.
	if !selfIssued(cert) {
		s.explicitPolicy = decrement(s.explicitPolicy)
		s.policyMapping = decrement(s.policyMapping)
		s.inhibitAnyPolicy = decrement(s.inhibitAnyPolicy)
	}
	// 6.1.4(i): requireExplicitPolicy and inhibitPolicyMapping.
	if v, ok := skipCerts(cert.RequireExplicitPolicy, cert.RequireExplicitPolicyZero); ok && v < s.explicitPolicy {
		s.explicitPolicy = v
	}
	if v, ok := skipCerts(cert.InhibitPolicyMapping, cert.InhibitPolicyMappingZero); ok && v < s.policyMapping {
		s.policyMapping = v
	}
	// 6.1.4(j): inhibitAnyPolicy.
	if v, ok := skipCerts(cert.InhibitAnyPolicy, cert.InhibitAnyPolicyZero); ok && v < s.inhibitAnyPolicy {
		s.inhibitAnyPolicy = v
	}
}

// wrapUpExplicitPolicy is RFC 5280, 6.1.5(a)-(b) for the leaf: explicit_policy
// counts the leaf too, and the leaf's own requireExplicitPolicy of 0
// applies at once.
func (s *policyState) wrapUpExplicitPolicy(leaf *x509.Certificate) {
	s.explicitPolicy = decrement(s.explicitPolicy)
	if v, ok := skipCerts(leaf.RequireExplicitPolicy, leaf.RequireExplicitPolicyZero); ok && v == 0 {
		s.explicitPolicy = 0
	}
}

// intersect is RFC 5280, 6.1.5(g): keep of the final tree only what the
// user-initial-policy-set accepts. An empty initialPolicies means
// {anyPolicy} (6.1.1(c)), which accepts the tree as it is.
func (t *policyTree) intersect(n int, initialPolicies []x509.OID) *policyTree {
	// 6.1.5(g)(i): a NULL tree stays NULL.
	if t == nil {
		return nil
	}
	user := map[string]bool{}
	for _, oid := range initialPolicies {
		user[policyKey(oid)] = true
	}
	// 6.1.5(g)(ii): the user accepts any policy.
	if len(user) == 0 || user[anyPolicyKey] {
		return t
	}
	// 6.1.5(g)(iii)(1): the valid_policy_node_set is the nodes whose
	// parent is anyPolicy: the policies as the authorities first stated
	// them, before any mapping. (Such a node has no other parent.)
	var nodeSet []*policyNode
	nodeDepth := map[*policyNode]int{}
	for d := 1; d <= n; d++ {
		for _, node := range sortedNodes(t.levels[d]) {
			if len(node.parents) == 1 && node.parents[0].validPolicy == anyPolicyKey {
				nodeSet = append(nodeSet, node)
				nodeDepth[node] = d
			}
		}
	}
	// 6.1.5(g)(iii)(2): delete those the user does not accept, with
	// what hangs below them.
	inNodeSet := map[string]bool{}
	for _, node := range nodeSet {
		if node.validPolicy != anyPolicyKey && !user[node.validPolicy] {
			t.remove(nodeDepth[node], node)
			continue
		}
		inNodeSet[node.validPolicy] = true
	}
	// 6.1.5(g)(iii)(3): a leaf-level anyPolicy node stands for each
	// user policy not otherwise present; it is replaced by those.
	if leafAny, ok := t.levels[n][anyPolicyKey]; ok {
		for _, p := range sortedKeys(user) {
			if !inNodeSet[p] {
				for _, parent := range leafAny.parents {
					t.addNode(n, p, parent)
				}
			}
		}
		t.remove(n, leafAny)
	}
	// 6.1.5(g)(iii)(4): prune.
	return t.prune(n)
}

// decrement is "if x is not 0, decrement x by 1" (RFC 5280, 6.1.4(h),
// 6.1.5(a)).
func decrement(x int) int {
	if x > 0 {
		return x - 1
	}
	return x
}

// skipCerts reads one of crypto/x509's SkipCerts fields (RFC 5280,
// 4.2.1.11, 4.2.1.14): a value of 0 is only present if its ...Zero flag
// says so.
func skipCerts(v int, zero bool) (int, bool) {
	if v > 0 || (v == 0 && zero) {
		return v, true
	}
	return 0, false
}

// sortedNodes returns a level's nodes in a fixed order, so that the
// tree's shape never depends on map iteration.
func sortedNodes(level map[string]*policyNode) []*policyNode {
	out := make([]*policyNode, 0, len(level))
	for _, k := range sortedKeys(level) {
		out = append(out, level[k])
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
