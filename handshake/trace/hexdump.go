package trace

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/glasstls/glasstls/handshake"
)

// HexDump prints every byte of every record, labelled with the field it
// belongs to: the record header, each handshake message's fields, and for
// an encrypted record its nonce, ciphertext and tag or MAC, followed by the
// decrypted content labelled the same way. It ignores messages and values
// (the records carry them). It is safe for concurrent use.
type HexDump struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

// NewHexDump returns a HexDump tracer writing to w.
func NewHexDump(w io.Writer) *HexDump { return &HexDump{w: w} }

// TraceRecord dumps the record.
func (h *HexDump) TraceRecord(r handshake.RecordTrace) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(h.w, "=== record %d [%s] %s: %s, %d bytes\n", h.n, side(r.Client), direction(r.Client, r.Sent), r.Type, len(r.Wire))
	h.n++
	dumpFields(h.w, r.Wire, r.Fields, 0)
	if r.Protected {
		fmt.Fprintf(h.w, "--- decrypted fragment, %d bytes\n", len(r.Plaintext))
		dumpFields(h.w, r.Plaintext, r.Content, 0)
	}
	fmt.Fprintln(h.w)
}

// TraceMessage does nothing: the records show every message's bytes.
func (h *HexDump) TraceMessage(handshake.MessageTrace) {}

// TraceValue does nothing.
func (h *HexDump) TraceValue(handshake.ValueTrace) {}

// bytesPerLine is how many bytes one dump line shows.
const bytesPerLine = 16

// dumpFields prints each leaf field's bytes with its offset and label, and
// a heading for each field that has sub-fields.
func dumpFields(w io.Writer, data []byte, fields []handshake.Field, depth int) {
	indent := strings.Repeat("  ", depth)
	for _, f := range fields {
		label := f.Name
		if f.Value != nil {
			if _, isBytes := f.Value.(handshake.HexBytes); !isBytes {
				label += ": " + valueString(f.Value)
			}
		}
		if len(f.Fields) > 0 {
			fmt.Fprintf(w, "%s%s%s\n", strings.Repeat(" ", 6+3*bytesPerLine), indent, label)
			dumpFields(w, data, f.Fields, depth+1)
			continue
		}
		if f.Start < 0 || f.End > len(data) || f.Start > f.End {
			continue
		}
		b := data[f.Start:f.End]
		for i := 0; i == 0 || i < len(b); i += bytesPerLine {
			end := min(i+bytesPerLine, len(b))
			hexPart := fmt.Sprintf("% x", b[i:end])
			text := ""
			if i == 0 {
				text = indent + label
			}
			fmt.Fprintf(w, "%04x  %-*s %s\n", f.Start+i, 3*bytesPerLine-1, hexPart, text)
		}
	}
}
