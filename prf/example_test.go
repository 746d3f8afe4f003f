package prf_test

import (
	"bytes"
	"crypto"
	_ "crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/glasstls/glasstls/prf"
)

// The TLS 1.2 PRF with SHA-256 on the test vector published on the IETF
// TLS list (secret, "test label", seed): the first 100 bytes.
func ExamplePRF() {
	secret, _ := hex.DecodeString("9bbe436ba940f017b17652849a71db35")
	seed, _ := hex.DecodeString("a0ba9f936cda311827a6f796ffd5198c")
	out := prf.PRF(crypto.SHA256, secret, "test label", seed, 100)
	fmt.Println(hex.EncodeToString(out[:32]))
	fmt.Println(hex.EncodeToString(out[len(out)-4:]))
	// Output:
	// e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a
	// 87347b66
}

// The master secret from a pre-master secret and the two randoms (RFC
// 5246, 8.1), then the key block and a Finished's verify_data from it:
// every secret of a handshake from known inputs.
func ExampleMasterSecret() {
	preMasterSecret := append([]byte{0x03, 0x03}, bytes.Repeat([]byte{0xAA}, 46)...) // client_version + 46 random bytes (7.4.7.1)
	clientRandom := bytes.Repeat([]byte{0x01}, prf.RandomLen)
	serverRandom := bytes.Repeat([]byte{0x02}, prf.RandomLen)

	masterSecret := prf.MasterSecret(crypto.SHA256, preMasterSecret, clientRandom, serverRandom)
	fmt.Println("master_secret:", len(masterSecret), "bytes", hex.EncodeToString(masterSecret[:8]), "...")

	// AES-128-GCM: no MAC keys, 16-byte keys, 4-byte implicit IVs.
	keys := prf.KeysFromMasterSecret(crypto.SHA256, masterSecret, clientRandom, serverRandom, 0, 16, 4)
	fmt.Println("client_write_key:", hex.EncodeToString(keys.ClientWriteKey))

	handshakeHash := bytes.Repeat([]byte{0x00}, 32) // SHA-256 of the handshake messages
	fmt.Println("client verify_data:", hex.EncodeToString(prf.VerifyData(crypto.SHA256, masterSecret, true, handshakeHash)))
	// Output:
	// master_secret: 48 bytes 769c5fe12ba188ac ...
	// client_write_key: 43b0ace1beb94c3395db21680c62c9e2
	// client verify_data: 5f26a8108f7dfcd3236cedb5
}
