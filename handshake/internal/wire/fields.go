package wire

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Field labels a byte range of a message or record with the name the RFC's
// presentation language gives it, and its decoded value. The decoder makes
// them while it parses (see Describe); handshake's trace hands them on as
// handshake.Field.
type Field struct {
	Name  string `json:"name"`  // the RFC's name for it, e.g. "client_version"
	Start int    `json:"start"` // offset of the first byte
	End   int    `json:"end"`   // offset after the last byte
	// Value is the decoded value: an Enum, a uint64 (lengths, counts), a
	// string (a host name, a protocol) or HexBytes; nil for a structure.
	Value any `json:"value,omitempty"`
	// Note explains the field in a few words.
	Note string `json:"note,omitempty"`
	// Fields are the parts of a structure or vector, labelled the same way.
	Fields []Field `json:"fields,omitempty"`
}

// Enum is a protocol constant: its value in hex and its RFC or IANA name.
type Enum struct {
	Hex  string `json:"hex"`  // "0xC02F"
	Name string `json:"name"` // "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
}

// String returns "NAME (0xHEX)".
func (e Enum) String() string { return e.Name + " (" + e.Hex + ")" }

// HexBytes is a byte string shown (and marshalled to JSON) in hex.
type HexBytes []byte

// String returns the bytes in lower-case hex.
func (b HexBytes) String() string { return hex.EncodeToString(b) }

// MarshalJSON writes the bytes as a hex string.
func (b HexBytes) MarshalJSON() ([]byte, error) { return json.Marshal(hex.EncodeToString(b)) }

// Enum8 and Enum16 make the Enum of a one- or two-byte code point.
func Enum8(v uint8, name string) Enum   { return Enum{Hex: fmt.Sprintf("0x%02X", v), Name: name} }
func Enum16(v uint16, name string) Enum { return Enum{Hex: fmt.Sprintf("0x%04X", v), Name: name} }

// Shift moves fields' offsets by n: for a message's fields placed inside a
// record, or a fragment's after the record header.
func Shift(fields []Field, n int) []Field {
	out := make([]Field, len(fields))
	for i, f := range fields {
		f.Start += n
		f.End += n
		f.Fields = Shift(f.Fields, n)
		out[i] = f
	}
	return out
}

// CheckCovers reports whether fields label bytes [0, n) exactly once, in
// order: each leaf starts where the previous one ended, and a field with
// sub-fields is filled by them. This is Describe's promise (every byte
// labelled, none twice), which the trace's tests and the page rely on.
func CheckCovers(fields []Field, n int) error {
	next := 0
	var walk func([]Field) error
	walk = func(fs []Field) error {
		for _, f := range fs {
			if f.Start > f.End {
				return fmt.Errorf("field %s ends before it starts", f.Name)
			}
			if f.Start != next {
				return fmt.Errorf("field %s starts at a gap or overlap", f.Name)
			}
			if len(f.Fields) > 0 {
				if err := walk(f.Fields); err != nil {
					return err
				}
				if next != f.End {
					return fmt.Errorf("sub-fields of %s do not fill it", f.Name)
				}
				continue
			}
			next = f.End
		}
		return nil
	}
	if err := walk(fields); err != nil {
		return err
	}
	if next != n {
		return fmt.Errorf("fields do not reach the end (%d of %d bytes)", next, n)
	}
	return nil
}
