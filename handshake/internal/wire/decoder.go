package wire

import "github.com/glasstls/glasstls/cipher"

// A decoder reads a handshake message the way RFC 5246's presentation
// language (section 4) describes it: every read names the field it reads.
// Parse uses it to fill a message struct and refuse anything malformed;
// Describe runs the very same code with labelling switched on, so the trace
// shows each byte under the name the parser gave it. There is no second
// parser to keep in step.
//
// A read past the end of the current vector sets bad, and every read after
// it does nothing, so decoding code reads straight through without an error
// check per field (as cryptobyte's users chain their reads with &&). A value
// that is readable but breaks a rule (a 33-byte session ID, an empty list)
// sets invalid and reading goes on, so the trace still labels the rest.
type decoder struct {
	data    []byte // the whole message: every offset is into it
	off     int    // the next byte to read
	end     int    // the end of the innermost vector being read
	bad     bool   // a read ran past end: the structure is broken
	invalid bool   // a value breaks a rule of the RFC

	// label makes reads record Fields; fields holds those of the
	// innermost vector or group being read.
	label  bool
	fields []Field

	// keyExchange is the negotiated suite's key exchange (0 before
	// ServerHello): ServerKeyExchange and ClientKeyExchange do not say
	// their own shape (RFC 5246, 7.4.3 and 7.4.7), it does.
	keyExchange cipher.KeyExchange
}

func newDecoder(data []byte, label bool) *decoder {
	return &decoder{data: data, end: len(data), label: label}
}

// check notes a broken rule; it returns ok so a caller can go on on it.
func (d *decoder) check(ok bool) bool {
	if !ok {
		d.invalid = true
	}
	return ok
}

// ok reports whether everything read so far was well formed and valid.
func (d *decoder) ok() bool { return !d.bad && !d.invalid }

// more reports whether the innermost vector has bytes left to read.
func (d *decoder) more() bool { return !d.bad && d.off < d.end }

// add records f when labelling. Performance: callers build f only when
// d.label, since putting HexBytes or an Enum into Field.Value allocates
// even when add would throw it away.
func (d *decoder) add(f Field) {
	if d.label {
		d.fields = append(d.fields, f)
	}
}

// value turns a code point into its labelled form, only when labelling.
func (d *decoder) value(name func(uint64) any, v uint64) any {
	if !d.label || name == nil {
		return nil
	}
	return name(v)
}

func (d *decoder) take(n int) (start int, b []byte, ok bool) {
	if d.bad || n < 0 || d.end-d.off < n {
		d.bad = true
		return d.off, nil, false
	}
	start = d.off
	d.off += n
	return start, d.data[start:d.off], true
}

// uint reads an n-byte big-endian integer and labels it name; decode names
// its value (nil: the number itself).
func (d *decoder) uint(n int, name string, decode func(uint64) any, note string) (uint64, bool) {
	start, b, ok := d.take(n)
	if !ok {
		return 0, false
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	if d.label {
		f := Field{Name: name, Start: start, End: d.off, Value: v, Note: note}
		if decode != nil {
			f.Value = decode(v)
		}
		d.fields = append(d.fields, f)
	}
	return v, true
}

func (d *decoder) uint8(out *uint8, name string, decode func(uint64) any, note string) bool {
	v, ok := d.uint(1, name, decode, note)
	*out = uint8(v)
	return ok
}

func (d *decoder) uint16(out *uint16, name string, decode func(uint64) any, note string) bool {
	v, ok := d.uint(2, name, decode, note)
	*out = uint16(v)
	return ok
}

func (d *decoder) uint32(out *uint32, name string, decode func(uint64) any, note string) bool {
	v, ok := d.uint(4, name, decode, note)
	*out = uint32(v)
	return ok
}

// bytes reads n bytes, shown in hex.
func (d *decoder) bytes(out *[]byte, n int, name, note string) bool {
	start, b, ok := d.take(n)
	if !ok {
		return false
	}
	*out = b
	if d.label {
		d.fields = append(d.fields, Field{Name: name, Start: start, End: d.off, Value: HexBytes(b), Note: note})
	}
	return true
}

// vector is an open variable-length vector (RFC 5246, 4.3): its length has
// been read, and reads stay inside it until close.
type vector struct {
	ok          bool
	start       int
	outerEnd    int
	outerFields []Field
}

// open reads a lenBytes-byte length and enters the vector it prefixes. If
// the length runs past the end, the length itself is left unread.
func (d *decoder) open(lenBytes int) vector {
	start := d.off
	save := d.label
	d.label = false
	n, ok := d.uint(lenBytes, "", nil, "")
	d.label = save
	if !ok {
		return vector{}
	}
	if d.end-d.off < int(n) {
		d.off = start
		d.bad = true
		return vector{}
	}
	v := vector{ok: true, start: start, outerEnd: d.end, outerFields: d.fields}
	d.end = d.off + int(n)
	if d.label {
		d.fields = []Field{{Name: "length", Start: start, End: start + lenBytes, Value: n}}
	}
	return v
}

// close leaves a vector, which becomes one Field named name: its length,
// then what was read inside. Bytes left unread inside it make the message
// malformed; they are labelled "unparsed", so every byte stays labelled.
func (d *decoder) close(v vector, name, note string) bool {
	if !v.ok {
		return false
	}
	if d.off < d.end {
		if d.label {
			d.fields = append(d.fields, unparsed(d.data, d.off, d.end))
		}
		d.bad = true
		d.off = d.end
	}
	inner, end := d.fields, d.end
	d.end, d.fields = v.outerEnd, v.outerFields
	if d.label {
		d.fields = append(d.fields, Field{Name: name, Start: v.start, End: end, Note: note, Fields: inner})
	}
	return !d.bad
}

// opaque reads a vector of bytes (opaque name<..2^(8*lenBytes)-1>).
func (d *decoder) opaque(lenBytes int, out *[]byte, name, note string) bool {
	v := d.open(lenBytes)
	if v.ok {
		d.rest(out, "contents")
	}
	return d.close(v, name, note)
}

// rest reads what is left of the innermost vector as opaque bytes.
func (d *decoder) rest(out *[]byte, name string) {
	if d.bad {
		return
	}
	start := d.off
	d.off = d.end
	if out != nil {
		*out = d.data[start:d.end]
	}
	if d.label && start < d.end {
		d.fields = append(d.fields, Field{Name: name, Start: start, End: d.end, Value: HexBytes(d.data[start:d.end])})
	}
}

// beginGroup and endGroup make the fields read between them one structure
// (a struct of the RFC, e.g. ServerName), whose value is value.
func (d *decoder) beginGroup() []Field {
	outer := d.fields
	d.fields = nil
	return outer
}

func (d *decoder) endGroup(outer []Field, name string, value any) {
	inner := d.fields
	d.fields = outer
	if !d.label || len(inner) == 0 {
		return
	}
	d.add(Field{Name: name, Start: inner[0].Start, End: inner[len(inner)-1].End, Value: value, Fields: inner})
}

// last is the Field read last, to add to its label; nil when not labelling.
func (d *decoder) last() *Field {
	if !d.label || len(d.fields) == 0 {
		return nil
	}
	return &d.fields[len(d.fields)-1]
}

// finish requires the whole message to have been read; what was not is
// labelled "unparsed".
func (d *decoder) finish() {
	if d.off < d.end {
		if !d.bad {
			d.bad = true
		}
		if d.label {
			d.fields = append(d.fields, unparsed(d.data, d.off, d.end))
		}
		d.off = d.end
	}
}

func unparsed(data []byte, start, end int) Field {
	return Field{Name: "unparsed", Start: start, End: end, Value: HexBytes(data[start:end])}
}

// uint8List reads a vector of one-byte code points (compression methods,
// point formats, certificate types), keeping them as the bytes they are.
func (d *decoder) uint8List(lenBytes int, out *[]uint8, name, note, elem string, decode func(uint64) any) bool {
	v := d.open(lenBytes)
	if v.ok {
		*out = d.data[d.off:d.end]
		for d.more() {
			var x uint8
			d.uint8(&x, elem, decode, "")
		}
	}
	return d.close(v, name, note)
}

// uint16List reads a vector of two-byte code points (cipher suites, groups,
// signature schemes, versions).
func uint16List[T ~uint16](d *decoder, lenBytes int, out *[]T, name, note, elem string, decode func(uint64) any) bool {
	v := d.open(lenBytes)
	if v.ok {
		values := make([]T, 0, (d.end-d.off)/2)
		for d.more() {
			var x uint16
			if d.uint16(&x, elem, decode, "") {
				values = append(values, T(x))
			}
		}
		*out = values
	}
	return d.close(v, name, note)
}
