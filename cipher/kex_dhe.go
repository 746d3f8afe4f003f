package cipher

import (
	"errors"
	"fmt"
	"io"
	"math/big"
)

// Finite-field Diffie-Hellman (DHE), the textbook key agreement that ECDHE
// generalises: both sides pick a secret exponent, publish g^x mod p, and
// raise the other's value to their own exponent. RFC 5246, 7.4.3 carries
// the server's p, g and g^x in ServerKeyExchange; RFC 7919 fixes the
// groups to a few well-studied safe primes and lets the client name them
// in supported_groups, as it names curves.
//
// Constant time: this file is built on math/big, whose arithmetic is not
// constant time (its modular exponentiation leaks the exponent's length
// and, through cache timing, more). Nothing better exists to import: the
// standard library's constant-time modular arithmetic
// (crypto/internal/fips140/bigmod) is internal, and golang.org/x/crypto
// has none. What limits the damage: every private exponent here is
// ephemeral, used for one exponentiation per handshake and then
// forgotten, so a timing observer sees one sample per secret. A
// long-lived DH key would need constant-time arithmetic; glasstls never
// makes one.

// The FFDHE named groups (RFC 7919, 2), carried in supported_groups like
// the curves (RFC 7919 renamed the extension's NamedCurve to NamedGroup).
const (
	FFDHE2048 CurveID = 256 // RFC 7919, A.1
	FFDHE3072 CurveID = 257 // RFC 7919, A.2
	FFDHE4096 CurveID = 258 // RFC 7919, A.3
)

// IsFFDHE reports whether c is in the range RFC 7919, 2 reserves for
// finite-field groups (0x0100-0x01FF), known to glasstls or not. A
// client that lists any of them is telling the server it speaks RFC 7919
// (RFC 7919, 4).
func (c CurveID) IsFFDHE() bool { return c >= 0x0100 && c <= 0x01FF }

// DefaultFFDHEGroups returns the finite-field groups offered and accepted
// by default, smallest first: ffdhe2048 already exceeds the 112-bit
// security the rest of a default handshake gives (RFC 7919, 5.1), and
// each step up costs the server about 3x the time per handshake.
func DefaultFFDHEGroups() []CurveID { return []CurveID{FFDHE2048, FFDHE3072, FFDHE4096} }

// Limits on a group the server chooses for us (its p comes in
// ServerKeyExchange, RFC 5246, 7.4.3).
const (
	// MinDHPrimeBits: smaller groups are within reach of precomputation
	// (Logjam, 2015, broke 512-bit groups and estimated 1024-bit ones
	// within a nation state's budget). RFC 7919, 1 and OpenSSL's default
	// security level 2 both draw the line at 2048.
	MinDHPrimeBits = 2048
	// MaxDHPrimeBits bounds the work a hostile server can ask for: one
	// exponentiation modulo a 16,000-bit prime takes seconds. 8192 is the
	// largest RFC 7919 group (ffdhe8192).
	MaxDHPrimeBits = 8192
)

// ErrWeakDHGroup means the server's DHE group is smaller than
// MinDHPrimeBits. The handshake answers insufficient_security (RFC 5246,
// 7.2.2: "the server requires parameters more secure than those supported
// by the client" is the same situation seen from the other side).
var ErrWeakDHGroup = errors.New("cipher: DHE group too small")

// ErrBadDHParams means the server's p or g cannot be a Diffie-Hellman
// group (even, too large, g out of range): illegal_parameter.
var ErrBadDHParams = errors.New("cipher: bad DHE parameters")

// DHGroup is a finite-field group: the prime p and the generator g, and
// for the RFC 7919 groups the order q = (p-1)/2 of the subgroup g
// generates, which lets a peer's value be checked for membership.
type DHGroup struct {
	ID           CurveID  // the RFC 7919 name; 0 for a group a server made up
	P            *big.Int // the prime modulus
	G            *big.Int // the generator (2 for every RFC 7919 group)
	Q            *big.Int // (p-1)/2 for a known safe prime; nil when unknown
	ExponentBits int      // the length of our private exponents
}

// String returns "ffdhe2048", or "DH-2048" for an unnamed group.
func (g *DHGroup) String() string {
	if g.ID != 0 {
		return g.ID.String()
	}
	return fmt.Sprintf("DH-%d", g.P.BitLen())
}

// exponentBits is RFC 7919, 5.2's private exponent length for a group of
// pBits: at least twice the group's security strength, so that the
// exponent is no easier to find than the discrete logarithm. A short
// exponent (225 bits, not 2048) is what makes DHE affordable: the
// exponentiation's cost grows with it. OpenSSL uses the same lengths.
func exponentBits(pBits int) int {
	switch {
	case pBits <= 2048:
		return 225
	case pBits <= 3072:
		return 275
	case pBits <= 4096:
		return 325
	case pBits <= 6144:
		return 375
	}
	return 400
}

// FFDHEGroup returns one of the RFC 7919 groups glasstls implements.
func FFDHEGroup(id CurveID) (*DHGroup, bool) {
	var hex string
	switch id {
	case FFDHE2048:
		hex = ffdhe2048P
	case FFDHE3072:
		hex = ffdhe3072P
	case FFDHE4096:
		hex = ffdhe4096P
	default:
		return nil, false
	}
	p, _ := new(big.Int).SetString(hex, 16)
	q := new(big.Int).Rsh(p, 1) // (p-1)/2: p is odd
	return &DHGroup{ID: id, P: p, G: big.NewInt(2), Q: q, ExponentBits: exponentBits(p.BitLen())}, true
}

// DHGroupFromParams is the client's view of the server's ServerDHParams
// dh_p and dh_g (RFC 5246, 7.4.3). A group equal to an RFC 7919 group is
// that group, with its q for the membership check; any other group
// (OpenSSL's -dhparam file, say) is accepted if it is large enough and
// looks like a DH group, as OpenSSL and browsers did. Errors wrap
// ErrWeakDHGroup or ErrBadDHParams.
func DHGroupFromParams(pBytes, gBytes []byte) (*DHGroup, error) {
	p := new(big.Int).SetBytes(pBytes)
	g := new(big.Int).SetBytes(gBytes)
	for _, id := range DefaultFFDHEGroups() {
		known, _ := FFDHEGroup(id)
		if known.P.Cmp(p) == 0 && known.G.Cmp(g) == 0 {
			return known, nil
		}
	}
	// RFC 7919, 4 (client side): a client "MAY abort the handshake" on a
	// group it finds too weak; we must, below MinDHPrimeBits.
	if p.BitLen() < MinDHPrimeBits {
		return nil, fmt.Errorf("%w: %d-bit prime, the minimum is %d", ErrWeakDHGroup, p.BitLen(), MinDHPrimeBits)
	}
	if p.BitLen() > MaxDHPrimeBits {
		return nil, fmt.Errorf("%w: %d-bit prime, the maximum is %d", ErrBadDHParams, p.BitLen(), MaxDHPrimeBits)
	}
	// A prime is odd. Proving p prime would cost more than the handshake
	// (and a server that lies about p only weakens its own connection).
	if p.Bit(0) == 0 {
		return nil, fmt.Errorf("%w: p is even", ErrBadDHParams)
	}
	// 1 < g < p-1: g = 1 and g = p-1 generate subgroups of order 1 and 2.
	pMinus1 := new(big.Int).Sub(p, big.NewInt(1))
	if g.Cmp(big.NewInt(1)) <= 0 || g.Cmp(pMinus1) >= 0 {
		return nil, fmt.Errorf("%w: generator out of range", ErrBadDHParams)
	}
	return &DHGroup{P: p, G: g, ExponentBits: exponentBits(p.BitLen())}, nil
}

// DHPrivateKey is one side's ephemeral key: the secret exponent X and the
// public value Y = g^X mod p.
type DHPrivateKey struct {
	Group *DHGroup
	X     *big.Int // the private exponent: never sent, forgotten after the handshake
	Y     *big.Int // the public value, sent as dh_Ys or dh_Yc
}

// GenerateDHEKey makes an ephemeral key from rand deterministically (the
// same bytes give the same key, so handshakes replay from Config.Rand): it
// reads ExponentBits random bits as X, redrawing the rare X < 2, and
// computes Y = g^X mod p.
func GenerateDHEKey(rand io.Reader, group *DHGroup) (*DHPrivateKey, error) {
	buf := make([]byte, (group.ExponentBits+7)/8)
	for range maxKeyAttempts {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, err
		}
		// Keep exactly ExponentBits bits: clear the excess high bits.
		if extra := len(buf)*8 - group.ExponentBits; extra > 0 {
			buf[0] &= 0xFF >> extra
		}
		x := new(big.Int).SetBytes(buf)
		if x.Cmp(big.NewInt(2)) < 0 {
			continue // 0 and 1 give the public values 1 and g
		}
		y := new(big.Int).Exp(group.G, x, group.P)
		return &DHPrivateKey{Group: group, X: x, Y: y}, nil
	}
	return nil, fmt.Errorf("cipher: no DHE exponent in %d attempts: broken random source", maxKeyAttempts)
}

// DHEPublicKey is the wire form of Y: big-endian, left-padded with zeros to
// the length of p. RFC 5246 leaves the padding open; OpenSSL pads (some
// Microsoft stacks failed otherwise) and TLS 1.3 requires it (RFC 8446,
// 4.2.8.1), so we pad too. A receiver accepts either form.
func DHEPublicKey(priv *DHPrivateKey) []byte {
	return priv.Y.FillBytes(make([]byte, (priv.Group.P.BitLen()+7)/8))
}

// DHESharedSecret checks the peer's public value and returns the
// pre_master_secret Z = peer^X mod p with its leading zero bytes removed:
// RFC 5246, 8.1.2: "Leading bytes of Z that contain all zero bits are
// stripped before it is used as the pre_master_secret." (TLS 1.3 does the
// opposite and keeps them; a TLS 1.2 implementation that keeps them fails
// about one handshake in 256.) Errors wrap ErrBadKeyShare, which the
// handshake answers with illegal_parameter.
//
// The checks on the peer's value Y:
//   - RFC 7919, 5.1: "the peer MUST validate that 1 < Y < p-1". Y = 0 or 1
//     would make Z 0 or 1, Y = p-1 makes Z = 1 or p-1, whatever our X;
//     Y >= p is not a residue at all.
//   - RFC 7919, 5.1 also lets a peer check Y^q = 1 mod p for a known safe
//     prime: Y is then in the subgroup of prime order q, so Z cannot be
//     steered into a small subgroup and leak bits of X. We do it (one
//     extra exponentiation) whenever q is known.
//   - Z itself must not be 1, which a valid Y can only give if X = 0 mod q.
func DHESharedSecret(priv *DHPrivateKey, peerPublic []byte) ([]byte, error) {
	group := priv.Group
	if len(peerPublic) == 0 || len(peerPublic) > (group.P.BitLen()+7)/8 {
		return nil, fmt.Errorf("%w: DHE public value of %d bytes for a %d-bit group", ErrBadKeyShare, len(peerPublic), group.P.BitLen())
	}
	y := new(big.Int).SetBytes(peerPublic)
	if err := CheckDHEPublic(group, y); err != nil {
		return nil, err
	}
	z := new(big.Int).Exp(y, priv.X, group.P)
	if z.Cmp(big.NewInt(1)) == 0 {
		return nil, fmt.Errorf("%w: DHE shared secret is 1", ErrBadKeyShare)
	}
	preMasterSecret := z.Bytes() // big-endian, minimal: the zeros are already stripped
	return preMasterSecret, nil
}

// CheckDHEPublic applies RFC 7919, 5.1's checks to a peer's public value
// (see DHESharedSecret).
func CheckDHEPublic(group *DHGroup, y *big.Int) error {
	one := big.NewInt(1)
	pMinus1 := new(big.Int).Sub(group.P, one)
	if y.Cmp(one) <= 0 || y.Cmp(pMinus1) >= 0 {
		return fmt.Errorf("%w: DHE public value is not in (1, p-1)", ErrBadKeyShare)
	}
	if group.Q != nil && new(big.Int).Exp(y, group.Q, group.P).Cmp(one) != 0 {
		return fmt.Errorf("%w: DHE public value is not in the order-q subgroup of %v", ErrBadKeyShare, group)
	}
	return nil
}

// ffdhe2048P is RFC 7919, A.1's 2048-bit prime.
const ffdhe2048P = "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695" +
	"A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A" +
	"D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935" +
	"984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A" +
	"BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4" +
	"AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61" +
	"9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005" +
	"C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF"

// ffdhe3072P is RFC 7919, A.2's 3072-bit prime.
const ffdhe3072P = "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695" +
	"A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A" +
	"D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935" +
	"984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A" +
	"BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4" +
	"AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61" +
	"9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005" +
	"C58EF1837D1683B2C6F34A26C1B2EFFA886B4238611FCFDCDE355B3B6519035B" +
	"BC34F4DEF99C023861B46FC9D6E6C9077AD91D2691F7F7EE598CB0FAC186D91C" +
	"AEFE130985139270B4130C93BC437944F4FD4452E2D74DD364F2E21E71F54BFF" +
	"5CAE82AB9C9DF69EE86D2BC522363A0DABC521979B0DEADA1DBF9A42D5C4484E" +
	"0ABCD06BFA53DDEF3C1B20EE3FD59D7C25E41D2B66C62E37FFFFFFFFFFFFFFFF"

// ffdhe4096P is RFC 7919, A.3's 4096-bit prime.
const ffdhe4096P = "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695" +
	"A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A" +
	"D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935" +
	"984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A" +
	"BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4" +
	"AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61" +
	"9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005" +
	"C58EF1837D1683B2C6F34A26C1B2EFFA886B4238611FCFDCDE355B3B6519035B" +
	"BC34F4DEF99C023861B46FC9D6E6C9077AD91D2691F7F7EE598CB0FAC186D91C" +
	"AEFE130985139270B4130C93BC437944F4FD4452E2D74DD364F2E21E71F54BFF" +
	"5CAE82AB9C9DF69EE86D2BC522363A0DABC521979B0DEADA1DBF9A42D5C4484E" +
	"0ABCD06BFA53DDEF3C1B20EE3FD59D7C25E41D2B669E1EF16E6F52C3164DF4FB" +
	"7930E9E4E58857B6AC7D5F42D69F6D187763CF1D5503400487F55BA57E31CC7A" +
	"7135C886EFB4318AED6A1E012D9E6832A907600A918130C46DC778F971AD0038" +
	"092999A333CB8B7A1A1DB93D7140003C2A4ECEA9F98D0ACC0A8291CDCEC97DCF" +
	"8EC9B55A7F88A46B4DB5A851F44182E1C68A007E5E655F6AFFFFFFFFFFFFFFFF"
