package handshake

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// Computed is a byte string the trace shows beside a protected record,
// labelled field by field like the record itself (Fields' offsets are into
// Data): the encrypted part in the clear, the nonce, the additional data.
type Computed struct {
	Name    string `json:"name"`    // e.g. "GenericBlockCipher, decrypted", "nonce"
	Section string `json:"section"` // where the RFC defines it
	Note    string `json:"note,omitempty"`
	// Data is nil when computing it needs a secret (a write_IV) and
	// Config.TraceSecrets is false; Note then says which.
	Data   HexBytes `json:"data"`
	Fields []Field  `json:"fields,omitempty"`
}

// describeProtection shows what the record's protection put around its
// content, recomputed from the content, the header and the writer's keys:
// the CBC MAC and padding that are encrypted with the content, the AEAD
// nonce, and the bytes each MAC or tag also covers. The record opened (or
// was sealed) with these very values, so recomputing them is exact: the
// padding bytes all equal padding_length, and the MAC of an authentic
// record is HMAC(MAC_write_key, ...) over the content.
func (c *Conn) describeProtection(ev record.RecordEvent, protected bool, content []Field) []Computed {
	suite := c.traceSuite
	if !protected || suite == nil || len(ev.Wire) < record.RecordHeaderLen {
		return nil
	}
	writerIsClient := ev.Sent == c.isClient
	writer := "server"
	macKey, iv := c.traceKeys.ServerMACKey, c.traceKeys.ServerIV
	if writerIsClient {
		writer = "client"
		macKey, iv = c.traceKeys.ClientMACKey, c.traceKeys.ClientIV
	}
	fragment := ev.Wire[record.RecordHeaderLen:]
	n := len(ev.Plaintext)

	if suite.IsAEAD() {
		return []Computed{c.aeadNonce(suite, writer, iv, fragment, ev.Seq),
			pseudoHeader("additional_data", "RFC 5246, 6.2.3.3",
				"authenticated by the tag, never sent: seq_num + type + version + length of the plaintext", ev, n)}
	}

	// GenericBlockCipher (RFC 5246, 6.2.3.2): IV, then the encrypted part.
	encLen := len(fragment) - cipherBlockLen
	if c.traceEncryptThenMAC {
		encLen -= suite.MACLen
	}
	macInside := 0
	if !c.traceEncryptThenMAC {
		macInside = suite.MACLen
	}
	paddingLength := encLen - n - macInside - 1
	if paddingLength < 0 {
		return nil
	}
	var mac []byte
	var macInput Computed
	if c.traceEncryptThenMAC {
		macInput = pseudoHeader("MAC input header", "RFC 7366, 3",
			"the MAC covers these 13 bytes, then the IV and the ciphertext; length counts IV and ciphertext", ev, len(fragment)-suite.MACLen)
	} else {
		macInput = pseudoHeader("MAC input header", "RFC 5246, 6.2.3.1",
			"the MAC covers these 13 bytes, then the content", ev, n)
		mac = recordMAC(suite, macKey, macInput.Data, ev.Plaintext)
		if len(mac) != suite.MACLen {
			return nil // a MAC this file does not know: show nothing rather than a wrong layout
		}
	}

	decrypted := append(append([]byte{}, ev.Plaintext...), mac...)
	for range paddingLength + 1 {
		decrypted = append(decrypted, byte(paddingLength))
	}
	fields := []Field{{Name: "content", Start: 0, End: n, Note: "the record's plaintext", Fields: content}}
	if mac != nil {
		fields = append(fields, Field{Name: "MAC", Start: n, End: n + len(mac), Value: HexBytes(mac),
			Note: "HMAC(" + writer + "_write_MAC_key, seq_num + type + version + length + content), MAC-then-encrypt: checked only after decrypting, in constant time (lucky13.go)"})
	}
	padStart := n + len(mac)
	if paddingLength > 0 {
		fields = append(fields, Field{Name: "padding", Start: padStart, End: padStart + paddingLength, Value: HexBytes(decrypted[padStart : padStart+paddingLength]),
			Note: "each byte equals padding_length, filling the last AES block"})
	}
	fields = append(fields, Field{Name: "padding_length", Start: len(decrypted) - 1, End: len(decrypted), Value: uint64(paddingLength)})
	note := "what AES-CBC encrypted: content + MAC + padding + padding_length"
	if c.traceEncryptThenMAC {
		note = "what AES-CBC encrypted: content + padding + padding_length (the MAC follows the ciphertext)"
	}
	return []Computed{
		{Name: "GenericBlockCipher, decrypted", Section: "RFC 5246, 6.2.3.2", Note: note, Data: decrypted, Fields: fields},
		macInput,
	}
}

// cipherBlockLen is AES's block, which is also a CBC record's IV length.
const cipherBlockLen = 16

// aeadNonce rebuilds the AEAD nonce: GCM's 4-byte salt (write_IV) and the
// 8-byte nonce_explicit from the record (RFC 5288, 3), or ChaCha20's
// write_IV XOR the padded sequence number (RFC 7905, 2).
func (c *Conn) aeadNonce(suite *cipher.Suite, writer string, iv, fragment []byte, seq uint64) Computed {
	if suite.Bulk == cipher.BulkChaCha20Poly1305 {
		nonce := Computed{Name: "nonce", Section: "RFC 7905, 2",
			Note: writer + "_write_IV XOR the sequence number (left-padded to 12 bytes); never sent, both sides know it"}
		if !c.config.TraceSecrets {
			nonce.Note += "; it reveals " + writer + "_write_IV, so it is shown only with TraceSecrets"
			return nonce
		}
		data := append([]byte{}, iv...)
		var padded [12]byte
		binary.BigEndian.PutUint64(padded[4:], seq)
		for i := range data {
			data[i] ^= padded[i]
		}
		nonce.Data = data
		nonce.Fields = []Field{{Name: "nonce", End: len(data), Value: HexBytes(data), Note: "write_IV XOR seq_num"}}
		return nonce
	}
	nonce := Computed{Name: "nonce", Section: "RFC 5288, 3",
		Note: "salt (" + writer + "_write_IV, 4 bytes from the key block) + nonce_explicit (8 bytes, sent in the record)"}
	if !c.config.TraceSecrets || len(fragment) < 8 {
		nonce.Note += "; the salt is key material, shown only with TraceSecrets"
		return nonce
	}
	data := append(append([]byte{}, iv...), fragment[:8]...)
	nonce.Data = data
	nonce.Fields = []Field{
		{Name: "salt", End: len(iv), Value: HexBytes(iv), Note: writer + "_write_IV"},
		{Name: "nonce_explicit", Start: len(iv), End: len(data), Value: HexBytes(fragment[:8]), Note: "from the record"},
	}
	return nonce
}

// pseudoHeader is seq_num + type + version + length, the 13 bytes the MAC
// (RFC 5246, 6.2.3.1) and the AEAD additional data (6.2.3.3) begin with.
func pseudoHeader(name, section, note string, ev record.RecordEvent, length int) Computed {
	data := make([]byte, 13)
	binary.BigEndian.PutUint64(data[0:8], ev.Seq)
	data[8] = byte(ev.Type)
	binary.BigEndian.PutUint16(data[9:11], ev.Version)
	binary.BigEndian.PutUint16(data[11:13], uint16(length))
	return Computed{Name: name, Section: section, Note: note, Data: data, Fields: []Field{
		{Name: "seq_num", Start: 0, End: 8, Value: ev.Seq, Note: "the record's sequence number, counted per direction from 0 after ChangeCipherSpec"},
		{Name: "type", Start: 8, End: 9, Value: Enum{Hex: fmt.Sprintf("0x%02X", uint8(ev.Type)), Name: ev.Type.String()}},
		{Name: "version", Start: 9, End: 11, Value: Enum{Hex: fmt.Sprintf("0x%04X", ev.Version), Name: record.VersionName(ev.Version)}},
		{Name: "length", Start: 11, End: 13, Value: uint64(length)},
	}}
}

// recordMAC is the MAC-then-encrypt record MAC (RFC 5246, 6.2.3.1),
// recomputed for the trace.
func recordMAC(suite *cipher.Suite, key, header, content []byte) []byte {
	var newHash func() hash.Hash
	switch suite.MAC {
	case cipher.MACSHA1:
		newHash = sha1.New
	case cipher.MACSHA256:
		newHash = sha256.New
	case cipher.MACSHA384:
		newHash = sha512.New384
	default:
		return nil
	}
	m := hmac.New(newHash, key)
	m.Write(header)
	m.Write(content)
	return m.Sum(nil)
}
