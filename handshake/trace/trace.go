package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/record"
)

// direction says who sent an event's bytes, seen from the tracing side.
func direction(client, sent bool) string {
	if client == sent {
		return "client -> server"
	}
	return "server -> client"
}

// side names the side that traced an event.
func side(client bool) string {
	if client {
		return "client"
	}
	return "server"
}

// Text prints an annotated narration: each handshake message decoded field
// by field, each derived value with its formula, and a line per record.
// It is safe for concurrent use.
type Text struct {
	mu sync.Mutex
	w  io.Writer
	// Records also prints a line for each record (and decodes
	// ChangeCipherSpec, alerts and application data, which only records
	// carry). NewText turns it on.
	Records bool
}

// NewText returns a Text tracer writing to w.
func NewText(w io.Writer) *Text { return &Text{w: w, Records: true} }

// TraceRecord prints one line for the record, and decodes the content
// of non-handshake records.
func (t *Text) TraceRecord(r handshake.RecordTrace) {
	if !t.Records {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	prot := "plaintext"
	if r.Protected {
		prot = "encrypted"
	}
	fmt.Fprintf(t.w, "[%s] record %s: %s, %d bytes on the wire, seq %d, %s\n",
		side(r.Client), direction(r.Client, r.Sent), r.Type, len(r.Wire), r.Seq, prot)
	if r.Type != record.TypeHandshake {
		writeFields(t.w, r.Content, 2)
	}
}

// TraceMessage prints the message and its fields.
func (t *Text) TraceMessage(m handshake.MessageTrace) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "[%s] %s %s (%d bytes)\n", side(m.Client), direction(m.Client, m.Sent), m.Name, len(m.Raw))
	writeFields(t.w, m.Fields, 2)
}

// TraceValue prints the value in hex with its formula.
func (t *Text) TraceValue(v handshake.ValueTrace) {
	t.mu.Lock()
	defer t.mu.Unlock()
	value := v.Value.String()
	if v.Value == nil && v.Secret {
		value = "(secret: set Config.TraceSecrets to show it)"
	} else if len(v.Value) == 0 {
		value = "(empty)"
	}
	fmt.Fprintf(t.w, "[%s] %s = %s\n", side(v.Client), v.Name, value)
	fmt.Fprintf(t.w, "    %s   [%s]\n", v.Formula, v.Section)
}

// TraceVerification prints how the peer's certificate chain was verified:
// each check x509verify ran, its RFC 5280 rule and its result.
func (t *Text) TraceVerification(v handshake.VerificationTrace) {
	t.mu.Lock()
	defer t.mu.Unlock()
	peer := "server"
	if !v.Client {
		peer = "client"
	}
	verdict := "verified"
	if v.Err != "" {
		verdict = "refused: " + v.Err
	}
	fmt.Fprintf(t.w, "[%s] the %s's certificate chain (%d in Certificate), checked at %s for %s: %s\n",
		side(v.Client), peer, len(v.Chain), v.Time.Format("2006-01-02 15:04:05 UTC"), v.Usage, verdict)
	for _, c := range v.Checks {
		result := "ok"
		if c.Err != "" {
			result = "FAILED: " + c.Err
		}
		subject := c.Subject
		if c.Issuer != "" {
			subject += " (by " + c.Issuer + ")"
		}
		fmt.Fprintf(t.w, "    %s: %s: %s   [%s]\n", subject, c.Check, result, c.Section)
	}
}

// writeFields prints a field tree, one field a line, indented by depth.
func writeFields(w io.Writer, fields []handshake.Field, indent int) {
	for _, f := range fields {
		line := strings.Repeat(" ", indent) + f.Name
		if f.Value != nil {
			line += ": " + valueString(f.Value)
		}
		if f.Note != "" {
			line += "   // " + f.Note
		}
		fmt.Fprintln(w, line)
		writeFields(w, f.Fields, indent+2)
	}
}

// valueString formats a Field's value; long byte strings are cut.
func valueString(v any) string {
	switch v := v.(type) {
	case handshake.HexBytes:
		s := v.String()
		if len(s) > 64 {
			return fmt.Sprintf("%s... (%d bytes)", s[:64], len(v))
		}
		return s
	case string:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprint(v)
}

// JSON writes one JSON object per line for each event. It is safe for
// concurrent use.
type JSON struct {
	mu  sync.Mutex
	enc *json.Encoder
}

// NewJSON returns a JSON tracer writing to w.
func NewJSON(w io.Writer) *JSON { return &JSON{enc: json.NewEncoder(w)} }

// jsonEnum is the JSON form of a protocol constant.
type jsonEnum = handshake.Enum

func enum8(v uint8, name string) jsonEnum { return jsonEnum{Hex: fmt.Sprintf("0x%02X", v), Name: name} }
func enum16(v uint16, name string) jsonEnum {
	return jsonEnum{Hex: fmt.Sprintf("0x%04X", v), Name: name}
}

// TraceRecord writes {"event":"record", ...}.
func (j *JSON) TraceRecord(r handshake.RecordTrace) {
	j.write(struct {
		Event       string   `json:"event"`
		Side        string   `json:"side"`
		Direction   string   `json:"direction"`
		ContentType jsonEnum `json:"content_type"`
		Version     jsonEnum `json:"version"`
		handshake.RecordTrace
	}{"record", side(r.Client), direction(r.Client, r.Sent),
		enum8(uint8(r.Type), r.Type.String()), enum16(r.Version, record.VersionName(r.Version)), r})
}

// TraceMessage writes {"event":"message", ...}.
func (j *JSON) TraceMessage(m handshake.MessageTrace) {
	j.write(struct {
		Event     string `json:"event"`
		Side      string `json:"side"`
		Direction string `json:"direction"`
		handshake.MessageTrace
	}{"message", side(m.Client), direction(m.Client, m.Sent), m})
}

// TraceValue writes {"event":"value", ...}.
func (j *JSON) TraceValue(v handshake.ValueTrace) {
	j.write(struct {
		Event string `json:"event"`
		Side  string `json:"side"`
		handshake.ValueTrace
	}{"value", side(v.Client), v})
}

// TraceVerification writes {"event":"verification", ...}.
func (j *JSON) TraceVerification(v handshake.VerificationTrace) {
	j.write(struct {
		Event string `json:"event"`
		Side  string `json:"side"`
		handshake.VerificationTrace
	}{"verification", side(v.Client), v})
}

func (j *JSON) write(v any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	_ = j.enc.Encode(v) // a tracer has nowhere to report a write error
}
