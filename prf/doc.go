// Package prf implements the key derivation of TLS 1.2: the pseudorandom
// function and everything TLS 1.2 derives with it.
//
//	RFC 5246, 5     P_hash and PRF(secret, label, seed)
//	RFC 5246, 8.1   master_secret from the pre_master_secret and the two randoms
//	RFC 7627, 4     extended_master_secret from the pre_master_secret and the session hash
//	RFC 5246, 6.3   key_block, split into MAC keys, write keys and IVs
//	RFC 5246, 7.4.9 Finished.verify_data
//	RFC 5705, 4     keying material exporter: PRF(master_secret, label, randoms [+ context]) (exporter.go)
//
// Every function takes the hash the cipher suite names (SHA-256 for all but
// the *_SHA384 suites) as a crypto.Hash, so a reader can follow one suite's
// derivation from start to finish.
package prf
