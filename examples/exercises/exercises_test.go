package exercises

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	glasscipher "github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/examples/exercises/solutions"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/prf"
)

// answers is one set of answers to the ten exercises: the student's (the
// functions in exercises.go), the reference solutions, or wrong ones.
type answers struct {
	ex1  func(pms, cr, sr []byte) ([]byte, error)
	ex2  func(ms, cr, sr []byte) ([]byte, error)
	ex3  func(ms, hh []byte) ([]byte, error)
	ex4  func(key, sent, received []byte) (int, byte, error)
	ex5  func(key, nonce []byte, candidates [][]byte) (int, error)
	ex6  func(macKey []byte, seq uint64, typ uint8, fragment []byte) ([]byte, error)
	ex7  func(iv []byte, seq uint64) ([]byte, error)
	ex8  func(key *ecdh.PrivateKey, peer []byte) ([]byte, error)
	ex9  func(cert *x509.Certificate, cr, sr, params, sig []byte) (bool, error)
	ex10 func(pub *rsa.PublicKey) ([]byte, []byte, error)
}

var student = answers{Exercise1, Exercise2, Exercise3, Exercise4, Exercise5, Exercise6, Exercise7, Exercise8, Exercise9, Exercise10}

var reference = answers{solutions.Exercise1, solutions.Exercise2, solutions.Exercise3, solutions.Exercise4, solutions.Exercise5,
	solutions.Exercise6, solutions.Exercise7, solutions.Exercise8, solutions.Exercise9, solutions.Exercise10}

// bytesOf makes n deterministic bytes for a label, so every check uses
// the same inputs every run.
func bytesOf(label string, n int) []byte {
	var out []byte
	for i := 0; len(out) < n; i++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s %d", label, i))
		out = append(out, sum[:]...)
	}
	return out[:n]
}

// serverKey is the test PKI's RSA server key and certificate.
func serverKey(t *testing.T) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	dir := interop.TestdataDir(t)
	keyPEM, err := os.ReadFile(filepath.Join(dir, "server-rsa-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, "server-rsa.pem"))
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := pem.Decode(keyPEM)
	cb, _ := pem.Decode(certPEM)
	if kb == nil || cb == nil {
		t.Fatal("testdata: no PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		if k1, err1 := x509.ParsePKCS1PrivateKey(kb.Bytes); err1 == nil {
			k = k1
		} else {
			t.Fatal(err)
		}
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PrivateKey), cert
}

// A check runs one exercise of a set of answers and says what is wrong,
// or returns nil. It returns ErrUnsolved (wrapped) for an untouched stub.
type check func(t *testing.T, a answers) error

func wantBytes(what string, got []byte, err error, want []byte, hint string) error {
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("wrong %s:\n  got  %x\n  want %x\n  hint: %s", what, got, want, hint)
	}
	return nil
}

var checks = []check{
	1: func(t *testing.T, a answers) error {
		pms, cr, sr := bytesOf("pms", 48), bytesOf("client random", 32), bytesOf("server random", 32)
		got, err := a.ex1(pms, cr, sr)
		return wantBytes("master secret", got, err, prf.MasterSecret(crypto.SHA256, pms, cr, sr),
			"the seed is ClientHello.random then ServerHello.random, the label \"master secret\", 48 bytes")
	},
	2: func(t *testing.T, a answers) error {
		ms, cr, sr := bytesOf("ms", 48), bytesOf("client random", 32), bytesOf("server random", 32)
		got, err := a.ex2(ms, cr, sr)
		kb := prf.KeysFromMasterSecret(crypto.SHA256, ms, cr, sr, 20, 16, 0)
		return wantBytes("client_write_key", got, err, kb.ClientWriteKey,
			"key expansion takes server_random first; the key block starts with the two 20-byte MAC keys")
	},
	3: func(t *testing.T, a answers) error {
		ms, hh := bytesOf("ms", 48), bytesOf("transcript", 32)
		got, err := a.ex3(ms, hh)
		return wantBytes("verify_data", got, err, prf.VerifyData(crypto.SHA256, ms, true, hh),
			"label \"client finished\", seed Hash(handshake_messages), 12 bytes")
	},
	4: func(t *testing.T, a answers) error {
		key := bytesOf("ctr key", 16)
		sent := []byte("transfer 0000100 EUR to alice")
		block, _ := aes.NewCipher(key)
		ciphertext := make([]byte, len(sent))
		cipher.NewCTR(block, make([]byte, 16)).XORKeyStream(ciphertext, sent)
		ciphertext[13] ^= '1' ^ '9' // 0000100 -> 0000900
		i, now, err := a.ex4(key, sent, ciphertext)
		if err != nil {
			return err
		}
		if i != 13 || now != '9' {
			return fmt.Errorf("got byte %d = %q; the attacker changed byte 13 to '9' (\"0000900\"): decrypt with the same CTR stream and compare with what was sent", i, now)
		}
		return nil
	},
	5: func(t *testing.T, a answers) error {
		key, nonce := bytesOf("gcm key", 16), bytesOf("gcm nonce", 12)
		block, _ := aes.NewCipher(key)
		gcm, _ := cipher.NewGCM(block)
		sealed := gcm.Seal(nil, nonce, []byte("GET /balance HTTP/1.1"), nil)
		var candidates [][]byte
		for i := range 5 {
			c := bytes.Clone(sealed)
			if i != 3 {
				c[(i*7)%len(c)] ^= 0x80
			}
			candidates = append(candidates, c)
		}
		i, err := a.ex5(key, nonce, candidates)
		if err != nil {
			return err
		}
		if i != 3 {
			return fmt.Errorf("got %d; candidate 3 is intact: gcm.Open fails for every changed one, whatever byte changed", i)
		}
		return nil
	},
	6: func(t *testing.T, a answers) error {
		key, fragment := bytesOf("mac key", 20), []byte("hello")
		got, err := a.ex6(key, 7, 23, fragment)
		want, _ := solutions.Exercise6(key, 7, 23, fragment) // HMAC-SHA1 over the 13-byte header and the fragment
		if !bytes.Equal(want, hmacHeaderCheck(key, 7, 23, fragment)) {
			return errors.New("the reference MAC is wrong")
		}
		return wantBytes("MAC", got, err, want, "seq_num(8) type(1) version(2: 03 03) length(2) fragment, HMAC-SHA1 with the MAC key")
	},
	7: func(t *testing.T, a answers) error {
		iv := bytesOf("write iv", 12)
		got, err := a.ex7(iv, 0x0102030405)
		want := bytes.Clone(iv)
		for i, b := range []byte{0, 0, 0, 1, 2, 3, 4, 5} {
			want[4+i] ^= b
		}
		return wantBytes("nonce", got, err, want, "XOR the sequence number into the last 8 bytes of the IV; the first 4 stay")
	},
	8: func(t *testing.T, a answers) error {
		client, err := ecdh.X25519().NewPrivateKey(bytesOf("client x25519", 32))
		if err != nil {
			return err
		}
		server, err := ecdh.X25519().NewPrivateKey(bytesOf("server x25519", 32))
		if err != nil {
			return err
		}
		got, err := a.ex8(client, server.PublicKey().Bytes())
		want, _ := server.ECDH(client.PublicKey())
		return wantBytes("pre-master secret", got, err, want, "parse the server's public key with ecdh.X25519().NewPublicKey, then clientKey.ECDH(it)")
	},
	9: func(t *testing.T, a answers) error {
		key, cert := serverKey(t)
		cr, sr, params := bytesOf("cr", 32), bytesOf("sr", 32), append([]byte{3, 0, 29, 32}, bytesOf("point", 32)...)
		digest := sha256.Sum256(append(append(append([]byte{}, cr...), sr...), params...))
		sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
		if err != nil {
			return err
		}
		genuine, err := a.ex9(cert, cr, sr, params, sig)
		if err != nil {
			return err
		}
		if !genuine {
			return errors.New("a genuine signature was refused: hash client_random + server_random + params with SHA-256, then rsa.VerifyPKCS1v15 with the certificate's public key")
		}
		swapped, err := a.ex9(cert, sr, cr, params, sig)
		if err != nil {
			return err
		}
		changed := bytes.Clone(params)
		changed[10] ^= 1
		forged, err := a.ex9(cert, cr, sr, changed, sig)
		if err != nil {
			return err
		}
		if swapped || forged {
			return errors.New("a signature over other bytes was accepted: the randoms' order and every byte of params must count (an attacker swapping in his own ECDHE key is exactly this)")
		}
		return nil
	},
	10: func(t *testing.T, a answers) error {
		key, _ := serverKey(t)
		preMasterSecret, encrypted, err := a.ex10(&key.PublicKey)
		if err != nil {
			return err
		}
		if len(preMasterSecret) != 48 || preMasterSecret[0] != 3 || preMasterSecret[1] != 1 {
			return fmt.Errorf("the pre-master secret must be 48 bytes starting 03 01 (TLS 1.0), got %d bytes starting %x", len(preMasterSecret), preMasterSecret[:min(2, len(preMasterSecret))])
		}
		// What the attacker wanted: a server that believed the client's 0x0301.
		asIfTLS10, err := glasscipher.DecryptRSAPreMasterSecret(rand.Reader, key, encrypted, 0x0301)
		if err != nil {
			return err
		}
		if !bytes.Equal(asIfTLS10, preMasterSecret) {
			return errors.New("the ciphertext does not decrypt to your pre-master secret: encrypt it with cipher.EncryptRSAPreMasterSecret (PKCS #1 v1.5) to the server's key")
		}
		// What the server does: compare with the ClientHello's 0x0303.
		got, err := glasscipher.DecryptRSAPreMasterSecret(rand.Reader, key, encrypted, 0x0303)
		if err != nil {
			return err
		}
		if bytes.Equal(got, preMasterSecret) {
			return errors.New("the server accepted the rolled-back version: the defence did not fire")
		}
		t.Logf("the defence fired: the server went on with a random pre-master secret (%x...), so the handshake fails at Finished and the attacker learns nothing", got[:8])
		return nil
	},
}

// hmacHeaderCheck recomputes exercise 6's MAC another way, so that the
// reference solution is checked too.
func hmacHeaderCheck(key []byte, seq uint64, typ uint8, fragment []byte) []byte {
	header := []byte{byte(seq >> 56), byte(seq >> 48), byte(seq >> 40), byte(seq >> 32), byte(seq >> 24), byte(seq >> 16), byte(seq >> 8), byte(seq), typ, 3, 3, byte(len(fragment) >> 8), byte(len(fragment))}
	return hmacSHA1(key, append(header, fragment...))
}

// runCheck runs exercise n's check against the student's answer. An
// untouched exercise checks the reference solution instead under CI=true
// (so CI never skips a check), fails when asked for by name (-run
// Exercise3: the student wants to know), and is skipped in a whole-suite
// run otherwise, so `go test ./...` stays green before anyone has started.
func runCheck(t *testing.T, n int) {
	err := checks[n](t, student)
	if !errors.Is(err, ErrUnsolved) {
		if err != nil {
			t.Fatalf("Exercise%d: wrong. %v", n, err)
		}
		t.Logf("Exercise%d: right.", n)
		return
	}
	switch {
	case os.Getenv("CI") == "true":
		t.Logf("Exercise%d is not solved in exercises.go; under CI=true its check runs against the reference solution", n)
		if err := checks[n](t, reference); err != nil {
			t.Fatalf("Exercise%d: the reference solution fails its check: %v", n, err)
		}
	case flag.Lookup("test.run").Value.String() != "":
		t.Fatalf("Exercise%d is not solved yet: replace the body of Exercise%d in examples/exercises/exercises.go, then run this again", n, n)
	default:
		t.Skipf("Exercise%d not attempted yet (run it by name to see what to do: go test ./examples/exercises -run Exercise%d)", n, n)
	}
}

func TestExercise1(t *testing.T)  { runCheck(t, 1) }
func TestExercise2(t *testing.T)  { runCheck(t, 2) }
func TestExercise3(t *testing.T)  { runCheck(t, 3) }
func TestExercise4(t *testing.T)  { runCheck(t, 4) }
func TestExercise5(t *testing.T)  { runCheck(t, 5) }
func TestExercise6(t *testing.T)  { runCheck(t, 6) }
func TestExercise7(t *testing.T)  { runCheck(t, 7) }
func TestExercise8(t *testing.T)  { runCheck(t, 8) }
func TestExercise9(t *testing.T)  { runCheck(t, 9) }
func TestExercise10(t *testing.T) { runCheck(t, 10) }

// TestSolutionsPass checks every reference solution against its check:
// the checks and the solutions agree, in every run, CI or not.
func TestSolutionsPass(t *testing.T) {
	for n := 1; n < len(checks); n++ {
		if err := checks[n](t, reference); err != nil {
			t.Errorf("solution %d: %v", n, err)
		}
	}
}

// TestChecksCatchWrongAnswers feeds every check a plausible wrong answer:
// a check that passes it could not tell a student anything.
func TestChecksCatchWrongAnswers(t *testing.T) {
	wrong := reference
	wrong.ex1 = func(pms, cr, sr []byte) ([]byte, error) { return solutions.Exercise1(pms, sr, cr) } // randoms swapped
	wrong.ex2 = func(ms, cr, sr []byte) ([]byte, error) { return solutions.Exercise2(ms, sr, cr) }   // randoms swapped
	wrong.ex3 = func(ms, hh []byte) ([]byte, error) {
		return prf.PRF(crypto.SHA256, ms, "server finished", hh, 12), nil
	}
	wrong.ex4 = func(key, sent, received []byte) (int, byte, error) {
		for i := range sent {
			if sent[i] != received[i] {
				return i, received[i], nil // compared ciphertext with plaintext
			}
		}
		return 0, 0, nil
	}
	wrong.ex5 = func([]byte, []byte, [][]byte) (int, error) { return 0, nil }
	wrong.ex6 = func(key []byte, seq uint64, typ uint8, fragment []byte) ([]byte, error) {
		return solutions.Exercise6(key, seq+1, typ, fragment)
	}
	wrong.ex7 = func(iv []byte, seq uint64) ([]byte, error) { return bytes.Clone(iv), nil }
	wrong.ex8 = func(key *ecdh.PrivateKey, peer []byte) ([]byte, error) { return key.PublicKey().Bytes(), nil }
	wrong.ex9 = func(*x509.Certificate, []byte, []byte, []byte, []byte) (bool, error) { return true, nil }
	wrong.ex10 = func(pub *rsa.PublicKey) ([]byte, []byte, error) {
		pms, err := glasscipher.NewRSAPreMasterSecret(rand.Reader, 0x0303) // no rollback at all
		if err != nil {
			return nil, nil, err
		}
		enc, err := glasscipher.EncryptRSAPreMasterSecret(rand.Reader, pub, pms)
		return pms, enc, err
	}
	for n := 1; n < len(checks); n++ {
		err := checks[n](t, wrong)
		if err == nil {
			t.Errorf("check %d accepted a wrong answer", n)
		} else {
			t.Logf("check %d on a wrong answer: %v", n, err)
		}
	}
}

// TestStubsAreUnsolved keeps exercises.go a set of exercises: every
// function there still returns ErrUnsolved (solutions go in solutions/).
// A student solving them locally will see this fail, which is fine:
// their copy is not the repository's.
func TestStubsAreUnsolved(t *testing.T) {
	if os.Getenv("CI") != "true" {
		t.Skip("only checked under CI=true: a student's solved copy is meant to differ")
	}
	for n := 1; n < len(checks); n++ {
		if err := checks[n](t, student); !errors.Is(err, ErrUnsolved) {
			t.Errorf("Exercise%d in exercises.go no longer returns ErrUnsolved: keep answers in solutions/", n)
		}
	}
}

func hmacSHA1(key, msg []byte) []byte {
	m := hmac.New(sha1.New, key)
	m.Write(msg)
	return m.Sum(nil)
}
