package cipher

import "crypto"

// suiteTable is every suite glasstls implements, most preferred first.
// Suites(), DefaultSuites() and the handshake's negotiation all read this
// order, so the reasoning lives here:
//
//  1. Forward secrecy first: every ECDHE suite, then every DHE suite, ranks
//     above every RSA key exchange suite. (ECDHE before DHE: the same
//     secrecy for a fraction of the cost, see kex_dhe.go.) With RSA key exchange, whoever later obtains the
//     server's private key can decrypt every recorded session, and the
//     server must defend against Bleichenbacher's padding oracle on every
//     handshake (RFC 5246, 7.4.7.1).
//  2. Within a key exchange, AEAD before CBC. TLS 1.2's CBC suites
//     MAC-then-encrypt (RFC 5246, 6.2.3.2), so the receiver must decrypt and
//     strip padding before it can check the MAC; the timing of that work is
//     the Lucky13 padding oracle. We defend against it in cbc.go, but an
//     AEAD has no padding to leak.
//  3. Within AEAD: AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305. On CPUs with
//     AES and carry-less multiply instructions (nearly every server and
//     phone today) AES-GCM is the fastest and is constant time; 128-bit keys
//     already exceed any foreseeable attack, 256 gives extra margin at a
//     small cost. ChaCha20-Poly1305 comes last here but is the better choice
//     on CPUs without AES hardware, where table-based AES is slow and leaks
//     timing; a client on such a CPU lists it first and a server honouring
//     client preference will pick it.
//  4. Within CBC: the SHA-256 MAC first, then SHA-1 by key size. HMAC-SHA1
//     is still a sound MAC (HMAC does not rely on collision resistance),
//     but there is no reason to prefer it. The SHA-384 CBC suites (RFC
//  5289. come last and are off by default: their 48-byte MAC buys
//     nothing over HMAC-SHA256, and the Lucky13 countermeasure costs more
//     with SHA-384's 128-byte blocks (up to three extra compressions of
//     twice the size per record, lucky13.go). They are here for peers
//     configured to speak nothing else.
//  5. ECDSA before RSA authentication at the same strength: smaller keys and
//     signatures for the same security. Which one is usable depends only on
//     the server's certificate, so this order rarely decides anything.
//
// Default: every ECDHE suite but the SHA-384 CBC ones (4 above), the DHE
// AEAD suites, and the RSA key exchange GCM suites. The DHE CBC suites stay
// off: a peer that needs one has neither ECDHE nor an AEAD, and the padding
// oracle is still ours to defend; naming them in the configuration turns
// them on. The RSA key exchange CBC suites combine both weaknesses above
// (no forward secrecy and a padding oracle to defend), so they are off
// unless a configuration names them, e.g. to talk to a legacy peer that
// offers nothing else.
//
// Columns: ID, IANA name, OpenSSL name, key exchange, auth, bulk, MAC,
// PRF hash, enc_key_length, fixed_iv_length, mac_key_length, default.
// Key block sizes follow RFC 5246, 6.3 (CBC: no IVs in TLS 1.2), RFC 5288, 3
// (GCM: 4-byte salt) and RFC 7905, 2 (ChaCha20-Poly1305: 12-byte IV).
var suiteTable = []*Suite{
	// ECDHE, AEAD.
	{0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", KeyExchangeECDHE, AuthECDSA, BulkAES128GCM, MACAEAD, crypto.SHA256, 16, 4, 0, true},
	{0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", KeyExchangeECDHE, AuthRSA, BulkAES128GCM, MACAEAD, crypto.SHA256, 16, 4, 0, true},
	{0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", KeyExchangeECDHE, AuthECDSA, BulkAES256GCM, MACAEAD, crypto.SHA384, 32, 4, 0, true},
	{0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", KeyExchangeECDHE, AuthRSA, BulkAES256GCM, MACAEAD, crypto.SHA384, 32, 4, 0, true},
	{0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", KeyExchangeECDHE, AuthECDSA, BulkChaCha20Poly1305, MACAEAD, crypto.SHA256, 32, 12, 0, true},
	{0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", KeyExchangeECDHE, AuthRSA, BulkChaCha20Poly1305, MACAEAD, crypto.SHA256, 32, 12, 0, true},

	// ECDHE, CBC (MAC-then-encrypt, or encrypt-then-MAC with RFC 7366).
	{0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", KeyExchangeECDHE, AuthECDSA, BulkAES128CBC, MACSHA256, crypto.SHA256, 16, 0, 32, true},
	{0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", KeyExchangeECDHE, AuthRSA, BulkAES128CBC, MACSHA256, crypto.SHA256, 16, 0, 32, true},
	{0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", KeyExchangeECDHE, AuthECDSA, BulkAES128CBC, MACSHA1, crypto.SHA256, 16, 0, 20, true},
	{0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", KeyExchangeECDHE, AuthRSA, BulkAES128CBC, MACSHA1, crypto.SHA256, 16, 0, 20, true},
	{0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", KeyExchangeECDHE, AuthECDSA, BulkAES256CBC, MACSHA1, crypto.SHA256, 32, 0, 20, true},
	{0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", KeyExchangeECDHE, AuthRSA, BulkAES256CBC, MACSHA1, crypto.SHA256, 32, 0, 20, true},
	// ECDHE, CBC with HMAC-SHA384 and the SHA-384 PRF (RFC 5289, 3.2):
	// selectable by name, never by default (see 4 above).
	{0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", KeyExchangeECDHE, AuthECDSA, BulkAES256CBC, MACSHA384, crypto.SHA384, 32, 0, 48, false},
	{0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", KeyExchangeECDHE, AuthRSA, BulkAES256CBC, MACSHA384, crypto.SHA384, 32, 0, 48, false},

	// DHE (RFC 5246 DHE_RSA; RFC 5288, RFC 7905), AEAD. Below every ECDHE
	// suite: the same forward secrecy for ten times the server's CPU time
	// and 300 more bytes on the wire; kept for peers that have no ECDHE.
	{0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", KeyExchangeDHE, AuthRSA, BulkAES128GCM, MACAEAD, crypto.SHA256, 16, 4, 0, true},
	{0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", KeyExchangeDHE, AuthRSA, BulkAES256GCM, MACAEAD, crypto.SHA384, 32, 4, 0, true},
	{0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305", KeyExchangeDHE, AuthRSA, BulkChaCha20Poly1305, MACAEAD, crypto.SHA256, 32, 12, 0, true},

	// DHE, CBC: selectable by name, never by default. A peer that has
	// neither ECDHE nor an AEAD is a legacy one; it has to be named.
	{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256", KeyExchangeDHE, AuthRSA, BulkAES128CBC, MACSHA256, crypto.SHA256, 16, 0, 32, false},
	{0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256", KeyExchangeDHE, AuthRSA, BulkAES256CBC, MACSHA256, crypto.SHA256, 32, 0, 32, false},
	{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", KeyExchangeDHE, AuthRSA, BulkAES128CBC, MACSHA1, crypto.SHA256, 16, 0, 20, false},
	{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA", KeyExchangeDHE, AuthRSA, BulkAES256CBC, MACSHA1, crypto.SHA256, 32, 0, 20, false},

	// RSA key exchange, AEAD.
	{0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", KeyExchangeRSA, AuthRSA, BulkAES128GCM, MACAEAD, crypto.SHA256, 16, 4, 0, true},
	{0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", KeyExchangeRSA, AuthRSA, BulkAES256GCM, MACAEAD, crypto.SHA384, 32, 4, 0, true},

	// RSA key exchange, CBC: selectable by name, never by default.
	{0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", KeyExchangeRSA, AuthRSA, BulkAES128CBC, MACSHA256, crypto.SHA256, 16, 0, 32, false},
	{0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", KeyExchangeRSA, AuthRSA, BulkAES128CBC, MACSHA1, crypto.SHA256, 16, 0, 20, false},
	{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", KeyExchangeRSA, AuthRSA, BulkAES256CBC, MACSHA1, crypto.SHA256, 32, 0, 20, false},

	// Pre-shared keys (RFC 4279, RFC 5489), the suites OpenSSL offers: never
	// by default, and offered or accepted only when a Config sets a PSK
	// (handshake.Config.PSK, PSKLookup), which then puts them first. The
	// same rules order them as the rest: ECDHE_PSK (forward secret) before
	// plain PSK, AEAD before CBC. OpenSSL has no ECDHE_PSK with AES-GCM (RFC
	// 8442's 0xD001 and 0xD002); the SHA-384 CBC variants are left out.
	{0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-PSK-CHACHA20-POLY1305", KeyExchangeECDHEPSK, AuthPSK, BulkChaCha20Poly1305, MACAEAD, crypto.SHA256, 32, 12, 0, false},
	{0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", "ECDHE-PSK-AES128-CBC-SHA256", KeyExchangeECDHEPSK, AuthPSK, BulkAES128CBC, MACSHA256, crypto.SHA256, 16, 0, 32, false},
	{0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", "ECDHE-PSK-AES128-CBC-SHA", KeyExchangeECDHEPSK, AuthPSK, BulkAES128CBC, MACSHA1, crypto.SHA256, 16, 0, 20, false},
	{0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", "ECDHE-PSK-AES256-CBC-SHA", KeyExchangeECDHEPSK, AuthPSK, BulkAES256CBC, MACSHA1, crypto.SHA256, 32, 0, 20, false},
	{0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", "PSK-AES128-GCM-SHA256", KeyExchangePSK, AuthPSK, BulkAES128GCM, MACAEAD, crypto.SHA256, 16, 4, 0, false},
	{0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384", "PSK-AES256-GCM-SHA384", KeyExchangePSK, AuthPSK, BulkAES256GCM, MACAEAD, crypto.SHA384, 32, 4, 0, false},
	{0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", "PSK-CHACHA20-POLY1305", KeyExchangePSK, AuthPSK, BulkChaCha20Poly1305, MACAEAD, crypto.SHA256, 32, 12, 0, false},
	{0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256", "PSK-AES128-CBC-SHA256", KeyExchangePSK, AuthPSK, BulkAES128CBC, MACSHA256, crypto.SHA256, 16, 0, 32, false},
	{0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA", "PSK-AES128-CBC-SHA", KeyExchangePSK, AuthPSK, BulkAES128CBC, MACSHA1, crypto.SHA256, 16, 0, 20, false},
	{0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA", "PSK-AES256-CBC-SHA", KeyExchangePSK, AuthPSK, BulkAES256CBC, MACSHA1, crypto.SHA256, 32, 0, 20, false},
}
