package trace

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/glasstls/glasstls/handshake"
)

// Page is a Tracer that draws one connection as a single self-contained
// HTML page, in the manner of the illustrated TLS connection: a ladder of
// every record between the two sides; each record's bytes in hex, every
// field highlighted and explained (RFC name, decoded value, section) when
// pointed at or focused; encrypted records beside their decrypted content
// with nonce, MAC, padding or tag marked; the key calculation as a small
// graph with the real values and the glasstls function that computed each;
// verify_data with its transcript hash; and the certificate checks.
//
// The page has no external resources (inline CSS, a few lines of plain
// JavaScript for keyboard navigation) and reads with JavaScript off.
// Secrets appear only if the connection's Config.TraceSecrets was set;
// otherwise the page says where they would be.
//
// Give a Page to one connection (Config.Trace, alone or with Tee), let it
// finish, then call WriteHTML. It may be given both sides of an in-process
// connection: it draws the client's view and uses the server's for what
// only the server saw (its check of a client certificate) and to confirm
// that both sides computed the same values. It is safe for concurrent use.
type Page struct {
	// Title heads the page.
	Title string
	// Intro, if set, is shown under the title as preformatted text (a
	// server's own summary of the connection, say).
	Intro string

	mu    sync.Mutex
	sides [2]pageSide // 0: the client's events, 1: the server's
}

// pageSide is what one side traced, in its own order.
type pageSide struct {
	events   []pageEvent
	messages []handshake.MessageTrace
	records  int
	dropped  int // records past maxPageRecords, counted only
}

// maxPageRecords bounds what a Page keeps of one connection: a handshake
// and a few requests fit many times over, and a long-lived connection
// (an echo server's, a tunnel's) cannot grow the page, or the memory
// holding it, without bound. Later records are counted, not drawn.
const maxPageRecords = 256

// pageEvent is one event: exactly one field is set.
type pageEvent struct {
	record       *handshake.RecordTrace
	value        *handshake.ValueTrace
	verification *handshake.VerificationTrace
}

// NewPage returns an empty Page with a default title.
func NewPage() *Page { return &Page{Title: "A TLS 1.2 connection, byte by byte"} }

func sideOf(client bool) int {
	if client {
		return 0
	}
	return 1
}

// TraceRecord keeps the record.
func (p *Page) TraceRecord(r handshake.RecordTrace) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.sides[sideOf(r.Client)]
	if s.records >= maxPageRecords {
		s.dropped++
		return
	}
	s.events = append(s.events, pageEvent{record: &r})
	s.records++
}

// TraceMessage keeps the message (the page takes the summary from them).
func (p *Page) TraceMessage(m handshake.MessageTrace) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.sides[sideOf(m.Client)]
	s.messages = append(s.messages, m)
}

// TraceValue keeps the value.
func (p *Page) TraceValue(v handshake.ValueTrace) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.sides[sideOf(v.Client)]
	s.events = append(s.events, pageEvent{value: &v})
}

// TraceVerification keeps the certificate verification.
func (p *Page) TraceVerification(v handshake.VerificationTrace) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.sides[sideOf(v.Client)]
	s.events = append(s.events, pageEvent{verification: &v})
}

// Records reports how many records the page would draw.
func (p *Page) Records() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sides[p.mainSide()].records
}

// mainSide is the side whose view the page draws: the client's if it
// traced any record.
func (p *Page) mainSide() int {
	if p.sides[0].records > 0 {
		return 0
	}
	return 1
}

// WriteHTML writes the page.
func (p *Page) WriteHTML(w io.Writer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	main := p.mainSide()
	r := &renderer{
		title:    p.Title,
		intro:    p.Intro,
		main:     main,
		side:     p.sides[main],
		peer:     p.sides[1-main],
		messages: p.sides[main].messages,
	}
	var b bytes.Buffer
	r.page(&b)
	_, err := w.Write(b.Bytes())
	return err
}

// renderer draws one page.
type renderer struct {
	title    string
	intro    string
	main     int // 0: client's view, 1: server's
	side     pageSide
	peer     pageSide
	messages []handshake.MessageTrace
	nextID   int
	secrets  bool // some secret value was shown
}

func (r *renderer) sideName() string { return sideName(r.main) }

func sideName(i int) string {
	if i == 0 {
		return "client"
	}
	return "server"
}

// recordFromClient says whether the client wrote the record.
func recordFromClient(rec *handshake.RecordTrace) bool { return rec.Client == rec.Sent }

// recordLabel names what a record carries: the content type and, for
// handshake records, the messages.
func recordLabel(rec *handshake.RecordTrace) string {
	var names []string
	for _, f := range rec.Content {
		switch {
		case rec.Type.String() == "handshake":
			names = append(names, f.Name)
		case f.Name == "Alert" && len(f.Fields) == 2:
			if e, ok := f.Fields[1].Value.(handshake.Enum); ok {
				names = append(names, e.Name)
			}
		}
	}
	label := typeLabel(rec.Type.String())
	if len(names) > 0 {
		label += ": " + strings.Join(names, ", ")
	}
	return label
}

func typeLabel(t string) string {
	switch t {
	case "handshake":
		return "Handshake"
	case "change_cipher_spec":
		return "ChangeCipherSpec"
	case "application_data":
		return "Application data"
	case "alert":
		return "Alert"
	}
	return t
}

// valueText formats a field's decoded value.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case handshake.Enum:
		if isGREASE(v.Hex) {
			return "GREASE (" + v.Hex + ")"
		}
		return v.Name + " (" + v.Hex + ")"
	case handshake.HexBytes:
		s := v.String()
		if len(s) > 96 {
			return fmt.Sprintf("%s… (%d bytes)", s[:96], len(v))
		}
		return s
	case string:
		return fmt.Sprintf("%q", v)
	case uint64:
		return fmt.Sprint(v)
	}
	return fmt.Sprint(v)
}

// fieldValueText is valueText, with a name from the IANA registries for
// values the codec calls unknown.
func fieldValueText(f handshake.Field) string {
	if e, ok := f.Value.(handshake.Enum); ok && !isGREASE(e.Hex) {
		if name := otherName(f.Name, e.Hex); name != "" && (e.Name == "unknown" || strings.HasPrefix(e.Name, "CurveID(")) {
			return name + " (" + e.Hex + ", not implemented by glasstls)"
		}
	}
	return valueText(f.Value)
}

// isGREASE recognises RFC 8701's reserved values, 0x?A?A with both bytes
// equal, which clients such as Chromium send to keep servers tolerant.
func isGREASE(hex string) bool {
	if len(hex) != 6 || !strings.HasPrefix(hex, "0x") {
		return false
	}
	h := strings.ToUpper(hex[2:])
	return h[1] == 'A' && h[3] == 'A' && h[0] == h[2]
}
