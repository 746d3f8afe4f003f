package cipher_test

import (
	"bytes"
	"fmt"

	"github.com/glasstls/glasstls/cipher"
)

// Record protection with AES-128-GCM (RFC 5288): one side seals a record's
// plaintext under sequence number 0, the other opens it. The fragment
// carries an 8-byte explicit nonce and a 16-byte tag; the content type,
// version and sequence number are authenticated but not sent in it.
func ExampleSuite_NewProtection() {
	suite, _ := cipher.SuiteByName("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
	keys := cipher.Keys{Key: bytes.Repeat([]byte{0x11}, suite.KeyLen), IV: bytes.Repeat([]byte{0x22}, suite.FixedIVLen)}
	writer, err := suite.NewProtection(keys, false, nil)
	if err != nil {
		panic(err)
	}
	reader, _ := suite.NewProtection(keys, false, nil)

	const applicationData, tls12 = 23, 0x0303
	plaintext := []byte("GET / HTTP/1.1\r\n")
	fragment, err := writer.Seal(nil, 0, applicationData, tls12, plaintext)
	if err != nil {
		panic(err)
	}
	fmt.Printf("sealed %d bytes into %d (explicit nonce %x)\n", len(plaintext), len(fragment), fragment[:8])

	opened, err := reader.Open(nil, 0, applicationData, tls12, fragment)
	fmt.Printf("opened: %q, %v\n", opened, err)

	// The same fragment under another sequence number fails: a replayed or
	// reordered record is caught (bad_record_mac).
	_, err = reader.Open(nil, 1, applicationData, tls12, fragment)
	fmt.Println("as record 1:", err != nil)
	// Output:
	// sealed 16 bytes into 40 (explicit nonce 0000000000000000)
	// opened: "GET / HTTP/1.1\r\n", <nil>
	// as record 1: true
}

// The suite table is data: each suite's key exchange, authentication,
// cipher and PRF hash, by IANA or OpenSSL name.
func ExampleSuiteByName() {
	suite, ok := cipher.SuiteByName("ECDHE-ECDSA-CHACHA20-POLY1305")
	fmt.Println(ok, suite.Name)
	fmt.Printf("id 0x%04X, key %d bytes, fixed IV %d bytes, AEAD %v\n", suite.ID, suite.KeyLen, suite.FixedIVLen, suite.IsAEAD())
	// Output:
	// true TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
	// id 0xCCA9, key 32 bytes, fixed IV 12 bytes, AEAD true
}
