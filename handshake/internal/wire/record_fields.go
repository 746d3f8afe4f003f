package wire

import (
	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// The labels of a record's bytes (RFC 5246, 6.2), for the trace: its
// header, its protection's framing, and its content, whose handshake
// messages Describe labels.

// DescribeRecordHeader labels the 5-byte record header (RFC 5246, 6.2.1).
// A protected record's header is the same five bytes, but RFC 5246, 6.2.3
// calls the record a TLSCiphertext, so the label says which it is.
func DescribeRecordHeader(wire []byte, protected bool) Field {
	d := newDecoder(wire, true)
	header := d.beginGroup()
	var typ uint8
	var version, length uint16
	d.uint8(&typ, "type", contentTypeValue, "ContentType: which protocol the fragment carries")
	d.uint16(&version, "version", versionValue, "ProtocolVersion of the record layer")
	d.uint16(&length, "length", nil, "bytes of fragment that follow")
	if d.bad {
		return Field{Name: "unparsed", End: len(wire), Value: HexBytes(wire)}
	}
	name := "TLSPlaintext header"
	if protected {
		name = "TLSCiphertext header"
	}
	d.endGroup(header, name, nil)
	return d.fields[0]
}

// DescribeProtected labels an encrypted fragment by the suite's framing:
// GenericAEADCipher (RFC 5246, 6.2.3.3) or GenericBlockCipher (6.2.3.2).
// Nothing here is parsed: the suite says where each part is.
func DescribeProtected(wire []byte, plaintextLen int, suite *cipher.Suite, encryptThenMAC bool) []Field {
	start, end := record.RecordHeaderLen, len(wire)
	var fields []Field
	add := func(name string, n int, note string) {
		if n <= 0 || start+n > end {
			return
		}
		fields = append(fields, Field{Name: name, Start: start, End: start + n, Value: HexBytes(wire[start : start+n]), Note: note})
		start += n
	}
	if suite == nil {
		add("encrypted fragment", end-start, "")
		return fields
	}
	switch suite.Bulk {
	case cipher.BulkAES128GCM, cipher.BulkAES256GCM:
		add("nonce_explicit", 8, "the second half of the GCM nonce; glasstls sends the sequence number (RFC 5288, 3)")
		add("encrypted content", plaintextLen, "AES-GCM ciphertext, as long as the plaintext")
		add("authentication tag", end-start, "GCM tag over the ciphertext and seq_num + type + version + length (RFC 5246, 6.2.3.3)")
	case cipher.BulkChaCha20Poly1305:
		add("encrypted content", plaintextLen, "ChaCha20 ciphertext; the nonce is write_IV XOR seq_num, never sent (RFC 7905, 2)")
		add("authentication tag", end-start, "Poly1305 tag (RFC 7905)")
	default: // CBC
		add("IV", 16, "random per record (RFC 5246, 6.2.3.2: TLS 1.1+ explicit IV)")
		if encryptThenMAC {
			add("encrypted content, MAC'd", end-start-suite.MACLen, "AES-CBC over content + padding + padding_length")
			add("MAC", end-start, "HMAC over seq_num, header and the ciphertext, checked before decrypting (RFC 7366, 3)")
		} else {
			add("encrypted content", end-start, "AES-CBC over content + MAC + padding + padding_length (MAC-then-encrypt)")
		}
	}
	add("encrypted fragment", end-start, "")
	return fields
}

// DescribeContent labels a record's plaintext fragment by content type. A
// handshake record may carry several messages, or a piece of one: each
// whole message is labelled by Describe, a piece as a fragment.
func DescribeContent(typ record.ContentType, fragment []byte, kx cipher.KeyExchange) []Field {
	d := newDecoder(fragment, true)
	switch typ {
	case record.TypeChangeCipherSpec:
		var v uint8
		d.uint8(&v, "type", changeCipherSpecValue, "RFC 5246, 7.1: switch to the pending keys")
	case record.TypeAlert:
		if len(fragment) < 2 {
			break
		}
		var level, description uint8
		alert := d.beginGroup()
		d.uint8(&level, "level", alertLevelValue, "RFC 5246, 7.2")
		d.uint8(&description, "description", alertValue, "")
		d.endGroup(alert, "Alert", nil)
	case record.TypeHandshake:
		var fields []Field
		off := 0
		for len(fragment)-off >= MessageHeaderLen {
			n := int(fragment[off+1])<<16 | int(fragment[off+2])<<8 | int(fragment[off+3])
			if len(fragment)-off < MessageHeaderLen+n {
				break
			}
			msg := fragment[off : off+MessageHeaderLen+n]
			// A ServerHello names the suite, and so the form of the
			// key exchange messages after it in the same record.
			if msg[0] == TypeServerHello {
				if hello, err := Parse(msg, kx); err == nil {
					if suite, ok := cipher.SuiteByID(hello.(*ServerHello).CipherSuite); ok {
						kx = suite.KeyExchange
					}
				}
			}
			fields = append(fields, Field{Name: MessageName(msg[0]), Start: off, End: off + len(msg), Fields: Shift(Describe(msg, kx), off)})
			off += len(msg)
		}
		if off < len(fragment) {
			fields = append(fields, Field{Name: "handshake message fragment", Start: off, End: len(fragment), Value: HexBytes(fragment[off:]), Note: "continued in the next record"})
		}
		return fields
	case record.TypeApplicationData:
		if len(fragment) == 0 {
			return nil
		}
		return []Field{{Name: "application_data", End: len(fragment), Value: HexBytes(fragment)}}
	}
	d.finish()
	return d.fields
}
