// Package cipher holds the cryptography below the TLS 1.2 record and
// handshake layers: the cipher suite table, record protection, and the two
// key exchanges' primitives.
//
//	RFC 5246, A.5 and 6.3   the cipher suite table and key block sizes (suites.go)
//	RFC 5246, 6.2.3.1       the record MAC over seq_num || header || content
//	RFC 5246, 6.2.3.2       CBC block ciphers: explicit IV, padding, MAC-then-encrypt (cbc.go, lucky13.go)
//	RFC 5246, 6.2.3.3       AEAD ciphers and their additional data (aead.go)
//	RFC 5288                AES-GCM: 4-byte salt + 8-byte explicit nonce (aead.go)
//	RFC 7905                ChaCha20-Poly1305: nonce = IV XOR seq_num, nothing explicit (aead.go)
//	RFC 7366                encrypt-then-MAC for CBC (cbc.go)
//	RFC 5246, 7.4.7.1       RSA-encrypted pre_master_secret and the Bleichenbacher countermeasure (kex_rsa.go)
//	RFC 8422, 5.4, 5.10-11  ECDHE: named curves, point formats, validation, shared secret (kex_ecdhe.go)
//	RFC 7748, 6.1           X25519 and the all-zero output check (kex_ecdhe.go)
//
// A record is protected by a [Protection], built from a [Suite] and one
// direction's [Keys]. The sequence number, content type and version are
// passed on every call and bound into the MAC or AEAD additional data, so
// the Protection itself holds no per-record state and a record layer can be
// read alongside RFC 5246, 6.2.3 line by line.
//
// # Why RSA key exchange and CBC rank last
//
// RSA key exchange has no forward secrecy: the server's long-term key
// decrypts every session ever recorded. It also hands attackers an oracle:
// if a server reveals in any way (alert, timing) whether a ClientKeyExchange
// had valid PKCS#1 v1.5 padding, Bleichenbacher's attack (1998, and again as
// ROBOT in 2017) decrypts or signs with the server's key. The RFC's defence,
// implemented in [DecryptRSAPreMasterSecret], is to never reveal it.
//
// CBC suites in TLS 1.2 MAC the plaintext and then encrypt, so a receiver
// must decrypt and remove padding before it can authenticate anything. If
// the time that takes depends on the padding, the receiver is a padding
// oracle; Lucky13 (2013) measured exactly that through the HMAC's timing.
// lucky13.go removes that signal, and RFC 7366 encrypt-then-MAC removes the
// cause, but an AEAD suite has neither problem. The suite order in
// suites.go follows: forward secret before not, AEAD before CBC.
//
// Randomness is always passed in as an io.Reader (CBC explicit IVs, ECDHE
// keys, pre_master_secrets) so that handshakes can be replayed from a
// recorded seed. Go 1.26's RSA encryption ignores its rand argument; see
// [EncryptRSAPreMasterSecret].
package cipher
