package main

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"

	"github.com/glasstls/glasstls/prf"
)

// Names of the values the handshake traces (handshake/trace.go), as
// RFC 5246 spells them.
const (
	nameClientRandom    = "client_random"
	nameServerRandom    = "server_random"
	namePreMasterSecret = "pre_master_secret"
	nameSessionHash     = "session_hash"
	nameMasterSecret    = "master_secret"
	nameExtendedMaster  = "master_secret (extended)"
	nameDHP             = "dh_p"
	nameDHG             = "dh_g"
	nameDHXs            = "dh_Xs"
	nameDHYs            = "dh_Ys"
	nameDHXc            = "dh_Xc"
	nameDHYc            = "dh_Yc"
)

// dhArithmetic shows a DHE handshake's numbers and redoes its arithmetic
// with math/big, so a reader can check every step: each side's public
// value from its private exponent, and the shared secret from either side.
func (n *narrator) dhArithmetic() string {
	num := func(side int, name string) *big.Int {
		if v := n.order.value(side, name); v != nil {
			return new(big.Int).SetBytes(v)
		}
		return nil
	}
	p, g := num(sideServer, nameDHP), num(sideServer, nameDHG)
	xs, ys := num(sideServer, nameDHXs), num(sideServer, nameDHYs)
	xc, yc := num(sideClient, nameDHXc), num(sideClient, nameDHYc)
	preMasterSecret := n.order.value(sideClient, namePreMasterSecret)
	if p == nil || g == nil || ys == nil || yc == nil {
		return "(no DHE values were traced: -side shows one side only)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  p  = %x\n       (%d bits; (p-1)/2 is prime too, so g generates a subgroup of prime order)\n", p, p.BitLen())
	fmt.Fprintf(&b, "  g  = %v\n", g)
	if xs == nil || xc == nil {
		b.WriteString("  Xs, Xc: hidden (-hide-secrets)\n")
	} else {
		fmt.Fprintf(&b, "  Xs = %x\n       (the server's private exponent, %d bits: RFC 7919, 5.2)\n", xs, xs.BitLen())
		fmt.Fprintf(&b, "  Xc = %x\n       (the client's)\n", xc)
	}
	fmt.Fprintf(&b, "  Ys = g^Xs mod p = %x...\n       (%d bytes, in ServerKeyExchange)\n", ys.Bytes()[:16], len(ys.Bytes()))
	fmt.Fprintf(&b, "  Yc = g^Xc mod p = %x...\n       (in ClientKeyExchange)\n", yc.Bytes()[:16])
	if xs != nil && xc != nil {
		fmt.Fprintf(&b, "  recomputed here with math/big: g^Xs mod p == Ys %v, g^Xc mod p == Yc %v\n",
			new(big.Int).Exp(g, xs, p).Cmp(ys) == 0, new(big.Int).Exp(g, xc, p).Cmp(yc) == 0)
		zServer, zClient := new(big.Int).Exp(yc, xs, p), new(big.Int).Exp(ys, xc, p)
		fmt.Fprintf(&b, "  Z  = Yc^Xs mod p (the server's way) == Ys^Xc mod p (the client's): %v\n", zServer.Cmp(zClient) == 0)
		fmt.Fprintf(&b, "  pre_master_secret = Z without leading zero bytes (RFC 5246, 8.1.2), %d bytes: equal %v\n",
			len(zClient.Bytes()), bytes.Equal(zClient.Bytes(), preMasterSecret))
	}
	b.WriteString("Each side checked the other's value first: 1 < Y < p-1, and Y^q mod p = 1 with q = (p-1)/2\n" +
		"(RFC 7919, 5.1), so a hostile peer can neither force Z to 1 nor learn bits of the exponent.")
	return b.String()
}

// sameSecrets compares what the two sides computed on their own.
func (n *narrator) sameSecrets(extended bool) string {
	master := nameMasterSecret
	if extended {
		master = nameExtendedMaster
	}
	var b strings.Builder
	b.WriteString("Each side computed these on its own; they never crossed the wire:\n")
	for _, name := range []string{namePreMasterSecret, master} {
		client, server := n.order.value(sideClient, name), n.order.value(sideServer, name)
		switch {
		case client == nil || server == nil:
			fmt.Fprintf(&b, "  %-26s hidden (-hide-secrets): compare them in a debugger (DEBUGGING.md)\n", name)
		case bytes.Equal(client, server):
			fmt.Fprintf(&b, "  %-26s client's == server's (%d bytes)\n", name, len(client))
		default:
			fmt.Fprintf(&b, "  %-26s DIFFERENT: client %x, server %x\n", name, client, server)
		}
	}
	b.WriteString("The same pre-master secret, the same randoms and the same transcript give the same\n" +
		"master secret, so the same six keys: the client's write key is the server's read key.")
	return b.String()
}

// hexOrHidden shows a value, or says it is hidden.
func hexOrHidden(v []byte) string {
	if v == nil {
		return "(hidden: -hide-secrets)"
	}
	return fmt.Sprintf("%x", v)
}

// classicDerivation recomputes the RFC 5246, 8.1 master secret from its
// three inputs, and says why RFC 7627 replaced it.
func (n *narrator) classicDerivation() string {
	clientRandom := n.order.value(sideClient, nameClientRandom)
	serverRandom := n.order.value(sideClient, nameServerRandom)
	preMasterSecret := n.order.value(sideClient, namePreMasterSecret)
	masterSecret := n.order.value(sideClient, nameMasterSecret)
	var b strings.Builder
	b.WriteString("  master_secret = PRF(pre_master_secret, \"master secret\",\n" +
		"                      ClientHello.random + ServerHello.random)[0..47]\n\n")
	b.WriteString("Its three inputs are the tutorial's \"three random numbers\":\n")
	fmt.Fprintf(&b, "  ClientHello.random = %s\n      the first: the client's, sent in the clear\n", hexOrHidden(clientRandom))
	fmt.Fprintf(&b, "  ServerHello.random = %s\n      the second: the server's, sent in the clear\n", hexOrHidden(serverRandom))
	fmt.Fprintf(&b, "  pre_master_secret  = %s\n      the third: never on the wire in the clear (RSA: encrypted to the server's key;\n      ECDHE: each side computes it from its private key and the other's public key)\n", hexOrHidden(preMasterSecret))
	fmt.Fprintf(&b, "  master_secret      = %s\n", hexOrHidden(masterSecret))
	if preMasterSecret != nil && masterSecret != nil {
		recomputed := prf.MasterSecret(n.story.suite.PRFHash, preMasterSecret, clientRandom, serverRandom)
		fmt.Fprintf(&b, "      prf.MasterSecret(%v, the three above), recomputed here: equal %v\n", n.story.suite.PRFHash, bytes.Equal(recomputed, masterSecret))
	}
	b.WriteString("\nWhy RFC 7627's extended master secret replaced this formula (the triple handshake attack,\n" +
		"Bhargavan et al., 2014): nothing in it names the server's certificate or the rest of the\n" +
		"handshake. A malicious server M that a client connects to can open its own connection to a\n" +
		"real server S, relay the client's random and S's random, and (with RSA key exchange)\n" +
		"re-encrypt the client's pre-master secret to S's key: both connections end up with the\n" +
		"same master secret and session, though the client authenticated M and S saw M. Resuming\n" +
		"both makes their Finished messages equal too, and a renegotiation with a client\n" +
		"certificate, whose RFC 5746 binding trusts those Finished values, lets M splice its own\n" +
		"requests in front of the client's authenticated ones. The extended master secret hashes\n" +
		"every message up to ClientKeyExchange, certificates included, into the master secret\n" +
		"(session_hash), so two connections with different peers can no longer share one.\n" +
		"glasstls offers and accepts it by default; drop -no-ems to see it.")
	return b.String()
}

// extendedDerivation recomputes the RFC 7627 master secret.
func (n *narrator) extendedDerivation() string {
	sessionHash := n.order.value(sideClient, nameSessionHash)
	preMasterSecret := n.order.value(sideClient, namePreMasterSecret)
	masterSecret := n.order.value(sideClient, nameExtendedMaster)
	var b strings.Builder
	b.WriteString("  master_secret = PRF(pre_master_secret, \"extended master secret\", session_hash)[0..47]\n\n")
	fmt.Fprintf(&b, "  session_hash      = %s\n      Hash(handshake_messages) from ClientHello through ClientKeyExchange: the randoms,\n      the certificates and the key exchange, all in one\n", hexOrHidden(sessionHash))
	fmt.Fprintf(&b, "  pre_master_secret = %s\n", hexOrHidden(preMasterSecret))
	fmt.Fprintf(&b, "  master_secret     = %s\n", hexOrHidden(masterSecret))
	if preMasterSecret != nil && masterSecret != nil && sessionHash != nil {
		recomputed := prf.ExtendedMasterSecret(n.story.suite.PRFHash, preMasterSecret, sessionHash)
		fmt.Fprintf(&b, "      prf.ExtendedMasterSecret(%v, pre_master_secret, session_hash), recomputed here: equal %v\n", n.story.suite.PRFHash, bytes.Equal(recomputed, masterSecret))
	}
	b.WriteString("\nThe tutorial's formula, from the pre-master secret and the two randoms alone, is RFC 5246,\n" +
		"8.1's: run with -no-ems to see it and why this one replaced it. The randoms still count\n" +
		"here: they are inside the session hash, and the key block takes them directly.")
	return b.String()
}
