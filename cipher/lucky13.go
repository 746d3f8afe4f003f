package cipher

import "crypto/subtle"

// This file holds the constant-time half of MAC-then-encrypt CBC.
//
// RFC 5246, 6.2.3.2 (implementation note): a receiver that returns early on
// bad padding, or that MACs fewer bytes when the padding is long, tells an
// attacker whether a forged record decrypted to valid padding. Repeated
// per byte, that decrypts records (Vaudenay's padding oracle; Lucky13,
// AlFardan and Paterson 2013, measured it through the HMAC's timing alone).
// The RFC's advice: "compute the MAC as if the padding were empty", so the
// work does not depend on the padding. We go one step further and make the
// number of hash compression-function calls the same whatever the
// padding, which is the signal Lucky13 measured:
//
//  1. extractPadding reads padding_length and checks every byte that could
//     be padding (the last 256) with masks, not branches. On bad padding it
//     pretends padding_length was 0, so the unchecked bytes are MACed.
//  2. checkMACThenEncrypt MACs the n content bytes, then feeds the HMAC's
//     inner hash extra bytes after taking the sum, enough that the total
//     count of blocks compressed (64 bytes for SHA-1 and SHA-256, 128 for
//     SHA-384) equals the count for the longest possible content
//     (padding_length 0). The extra bytes do not change the MAC; they only
//     cost the same time.
//  3. macMatchesAt compares our MAC with the received one without slicing
//     at the secret offset n: it walks every position where the MAC could
//     start and keeps only the bytes at the real one.
//
// Limits: this is not a fully constant-time HMAC circuit (OpenSSL's
// ssl3_cbc_digest_record is). Copying n bytes into the hash still takes
// time linear in n at a far finer grain than a compression call, and
// memory access patterns inside the hash follow n. Encrypt-then-MAC
// (RFC 7366) or an AEAD suite removes the problem instead of hiding it.

// mdShape describes the Merkle-Damgard hash inside an HMAC: its block size
// and the least final padding it adds (0x80 and the message length).
type mdShape struct {
	blockSize int
	padding   int
}

// The hashes our CBC suites MAC with (FIPS 180-4, 5.1): SHA-1 and SHA-256
// have 64-byte blocks and a 64-bit length, so at least 9 bytes of padding;
// SHA-384 (the SHA-512 engine) has 128-byte blocks and a 128-bit length,
// so at least 17.
var (
	mdSHA256 = mdShape{blockSize: 64, padding: 9} // and SHA-1
	mdSHA384 = mdShape{blockSize: 128, padding: 17}
)

const (
	// maxPaddingWindow is how far from the end padding can reach:
	// padding_length is one byte, so up to 255 padding bytes plus itself.
	maxPaddingWindow = 256
	// maxExtraHash bounds extraHashLen: content lengths differ by at most
	// 255, i.e. at most 4 more 64-byte or 3 more 128-byte compression
	// calls, which is fewer than 4*128 bytes either way.
	maxExtraHash = 4 * 128
)

// extractPadding returns how many bytes of padding to strip (padding_length
// + 1) and good == 1 if the padding is well formed and leaves room for a
// macLen-byte MAC, or good == 0 and toRemove == 1 if not. It runs in time
// that depends only on len(payload). The caller guarantees
// len(payload) >= macLen+1.
func extractPadding(payload []byte, macLen int) (toRemove, good int) {
	last := len(payload) - 1
	paddingLength := int(payload[last])
	good = subtle.ConstantTimeLessOrEq(paddingLength, last-macLen)

	window := min(maxPaddingWindow, len(payload)) // public: depends on length only
	for i := 1; i < window; i++ {
		// Byte last-i is padding iff i <= padding_length; each padding
		// byte must equal padding_length (RFC 5246, 6.2.3.2).
		isPadding := subtle.ConstantTimeLessOrEq(i, paddingLength)
		matches := subtle.ConstantTimeByteEq(payload[last-i], byte(paddingLength))
		good &= matches | (isPadding ^ 1)
	}
	toRemove = subtle.ConstantTimeSelect(good, paddingLength+1, 1)
	return toRemove, good
}

// checkMACThenEncrypt computes the RFC 5246, 6.2.3.1 MAC over the first n
// bytes of the decrypted payload and returns 1 if it equals the MAC that
// follows them. n is secret (it depends on the padding); the work is not.
func (p *cbcProtection) checkMACThenEncrypt(seq uint64, contentType uint8, version uint16, payload []byte, n int) int {
	p.mac.Reset()
	p.mac.Write(putPseudoHeader(&p.hdr, seq, contentType, version, n))
	p.mac.Write(payload[:n])
	p.mac.Sum(p.localMAC[:0])
	// Sum leaves the inner hash state alone, so these writes only burn the
	// compression calls a longer record would have needed.
	p.mac.Write(p.zeros[:p.md.extraHashLen(len(payload), p.macLen, n)])
	return macMatchesAt(payload, n, &p.localMAC, p.macLen)
}

// hashBlocks is how many compression calls the hash makes for an m-byte
// message, final padding included.
func (md mdShape) hashBlocks(m int) int { return (m + md.padding + md.blockSize - 1) / md.blockSize }

// extraHashLen returns how many bytes to feed the HMAC's inner hash after
// Sum so that MACing n content bytes costs as many compression calls as
// MACing the most content this payload could hold. The inner hash has seen
// the ipad block (one block), the 13-byte pseudo-header and n bytes.
func (md mdShape) extraHashLen(payloadLen, macLen, n int) int {
	prefix := md.blockSize + 13
	longest := payloadLen - macLen - 1 // content length if padding_length were 0
	missing := md.hashBlocks(prefix+longest) - md.hashBlocks(prefix+n)
	// Bytes already buffered in the hash count towards the next block, so
	// missing full blocks need missing*blockSize minus what is buffered.
	buffered := (prefix + n) % md.blockSize
	return subtle.ConstantTimeSelect(subtle.ConstantTimeEq(int32(missing), 0), 0, missing*md.blockSize-buffered)
}

// macMatchesAt returns 1 if payload[n:n+macLen] equals local[:macLen],
// reading every byte that could belong to the MAC so that the memory
// access pattern does not reveal n.
func macMatchesAt(payload []byte, n int, local *[64]byte, macLen int) int {
	start := max(0, len(payload)-macLen-maxPaddingWindow) // public
	var diff byte
	for i := start; i < len(payload); i++ {
		j := i - n // offset into the MAC; in [0, macLen) only at the MAC
		nonNegative := int(^uint64(int64(j)) >> 63)
		belowMACLen := int(uint64(int64(j-macLen)) >> 63)
		mask := byte(-(nonNegative & belowMACLen))
		diff |= mask & (payload[i] ^ local[j&63])
	}
	return subtle.ConstantTimeByteEq(diff, 0)
}
