package trace

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/glasstls/glasstls/handshake"
)

// esc escapes text for HTML element content and attribute values.
func esc(s string) string { return html.EscapeString(s) }

// maxFieldBytes is the longest field drawn byte for byte; a longer one
// (bulk application data) shows its start and its length, so that a page
// of a large transfer stays small enough for a browser.
const maxFieldBytes = 4096

// page writes the whole document.
func (r *renderer) page(b *bytes.Buffer) {
	r.secrets = r.anySecretShown()
	fmt.Fprintf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"+
		"<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n", esc(r.title), pageCSS)
	b.WriteString("<a class=\"skip\" href=\"#records\">Skip to the records</a>\n")
	fmt.Fprintf(b, "<header><h1>%s</h1>\n<p class=\"sub\">Traced by the glasstls %s: %d records. %s</p></header>\n<main>\n",
		esc(r.title), r.sideName(), r.side.records, esc(r.secretsLine()))
	if r.intro != "" {
		fmt.Fprintf(b, "<pre class=\"intro\">%s</pre>\n", esc(r.intro))
	}
	r.summary(b)
	r.ladder(b)
	r.records(b)
	r.help(b)
	fmt.Fprintf(b, "</main>\n<script>%s</script>\n</body>\n</html>\n", pageJS)
}

func (r *renderer) anySecretShown() bool {
	for _, e := range r.side.events {
		if e.value != nil && e.value.Secret && e.value.Value != nil {
			return true
		}
	}
	return false
}

func (r *renderer) secretsLine() string {
	if r.secrets {
		return "Secrets are shown (Config.TraceSecrets): anyone with this page can decrypt the connection."
	}
	return "Secrets are hidden: the trace ran without Config.TraceSecrets, so each secret's box says where it would be."
}

// message finds the first traced handshake message of that name.
func (r *renderer) message(name string) *handshake.MessageTrace {
	for i := range r.messages {
		if r.messages[i].Name == name {
			return &r.messages[i]
		}
	}
	return nil
}

// findField finds the first field of that name in a tree, depth first.
func findField(fields []handshake.Field, name string) *handshake.Field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
		if f := findField(fields[i].Fields, name); f != nil {
			return f
		}
	}
	return nil
}

// enums collects the Enum values of every field of that name.
func enums(fields []handshake.Field, name string) []handshake.Enum {
	var out []handshake.Enum
	for _, f := range fields {
		if e, ok := f.Value.(handshake.Enum); ok && f.Name == name {
			out = append(out, e)
		}
		out = append(out, enums(f.Fields, name)...)
	}
	return out
}

// greaseValues lists the GREASE values anywhere in a message, with the
// field they sit in.
func greaseValues(fields []handshake.Field) []string {
	var out []string
	for _, f := range fields {
		if e, ok := f.Value.(handshake.Enum); ok && isGREASE(e.Hex) && f.Name != "Extension" {
			out = append(out, e.Hex+" as "+f.Name)
		}
		out = append(out, greaseValues(f.Fields)...)
	}
	return out
}

func (r *renderer) value(name string) *handshake.ValueTrace {
	for _, e := range r.side.events {
		if e.value != nil && e.value.Name == name {
			return e.value
		}
	}
	return nil
}

// summary is the connection in a few lines: who offered what, what was
// chosen and why.
func (r *renderer) summary(b *bytes.Buffer) {
	b.WriteString("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">The connection in brief</h2>\n<dl>\n")
	item := func(term, text string) {
		fmt.Fprintf(b, "<dt>%s</dt><dd>%s</dd>\n", esc(term), text)
	}
	ch, sh := r.message("ClientHello"), r.message("ServerHello")
	if ch != nil {
		suites := enums(ch.Fields, "CipherSuite")
		var exts []string
		if list := findField(ch.Fields, "extensions"); list != nil {
			for _, f := range list.Fields {
				if _, ok := f.Value.(handshake.Enum); ok && f.Name == "Extension" {
					exts = append(exts, fieldValueText(f))
				}
			}
		}
		item("ClientHello", fmt.Sprintf("offers %d cipher suites and %d extensions: %s.", len(suites), len(exts), esc(strings.Join(exts, ", "))))
		grease := greaseValues(ch.Fields)
		if len(grease) > 0 {
			item("GREASE", "<span id=\"grease\">The client sent "+esc(fmt.Sprint(len(grease)))+" GREASE values: "+esc(strings.Join(grease, ", "))+
				".</span> RFC 8701 reserves them; a client sends them at random so that servers which choke on unknown values are found and fixed. The server ignores them.")
		} else {
			item("GREASE", "none: this client sends no RFC 8701 values.")
		}
	}
	if sh != nil {
		if suite := findField(sh.Fields, "cipher_suite"); suite != nil {
			why := "the server's choice among those the client offered (RFC 5246, 7.4.1.3)."
			if r.main == 1 {
				why = "glasstls's server takes the first suite in its own preference order (Config.CipherSuites) that the client offered and its certificate can serve (RFC 5246, 7.4.1.3 leaves the choice to the server)."
			}
			item("Cipher suite", "<strong id=\"suite\">"+esc(valueText(suite.Value))+"</strong>: "+esc(why))
		}
	}
	if ske := r.message("ServerKeyExchange"); ske != nil {
		if curve := findField(ske.Fields, "namedcurve"); curve != nil {
			item("Key exchange", "ECDHE on "+esc(valueText(curve.Value))+": each side makes a fresh key pair; the server signs its half (ServerKeyExchange).")
		} else if p := findField(ske.Fields, "dh_p"); p != nil {
			item("Key exchange", fmt.Sprintf("finite-field DHE with a %d-bit prime (RFC 5246, 7.4.3): each side makes a fresh exponent; the server signs the group and its half (ServerKeyExchange).", 8*(p.End-p.Start-2)))
		}
	} else if r.value("master_secret (resumed)") == nil && sh != nil {
		item("Key exchange", "RSA: the client encrypts the pre-master secret to the server's certificate key (no forward secrecy).")
	}
	switch {
	case r.value("master_secret (resumed)") != nil:
		item("Handshake", "abbreviated: a session was resumed (RFC 5246, 7.3, Figure 2): no certificates, no key exchange.")
	case r.value("master_secret (extended)") != nil:
		item("Handshake", "full, with the extended master secret (RFC 7627): the master secret is bound to the whole handshake.")
	default:
		item("Handshake", "full, with the classic master secret (RFC 5246, 8.1).")
	}
	if cr := r.message("CertificateRequest"); cr != nil {
		item("Client certificate", "the server asked for one (CertificateRequest).")
	}
	b.WriteString("</dl></section>\n")
}

// ladder draws the two sides and every record between them, each a link
// to its section, with the calculations where they happen.
func (r *renderer) ladder(b *bytes.Buffer) {
	b.WriteString("<nav id=\"ladder\" aria-labelledby=\"ladder-h\"><h2 id=\"ladder-h\">Ladder: every record, in wire order</h2>\n")
	b.WriteString("<div class=\"lhead\" aria-hidden=\"true\"><span>Client</span><span>Server</span></div>\n<ol class=\"ladder\">\n")
	anchors := r.peerVerificationAnchors()
	n := 0
	for i, e := range r.side.events {
		switch {
		case e.record != nil:
			rec := e.record
			dir, arrow := "c2s", "client → server"
			if !recordFromClient(rec) {
				dir, arrow = "s2c", "server → client"
			}
			prot := "plaintext"
			if rec.Protected {
				prot = "encrypted"
			}
			fmt.Fprintf(b, "<li class=\"rung %s %s\"><a href=\"#rec-%d\"><span class=\"lbl\">%d. %s</span><span class=\"meta\">%s · %d bytes · seq %d · %s</span></a></li>\n",
				dir, prot, n, n, esc(recordLabel(rec)), arrow, len(rec.Wire), rec.Seq, prot)
			for _, v := range anchors[n] {
				fmt.Fprintf(b, "<li class=\"rung note %s\"><a href=\"#%s\"><span class=\"lbl\">%s</span></a></li>\n",
					sideName(sideOf(v.trace.Client)), v.id, esc(verificationLabel(v.trace)))
			}
			n++
		case e.value != nil:
			if id, label := r.calcAnchor(i); id != "" {
				fmt.Fprintf(b, "<li class=\"rung note %s\"><a href=\"#%s\"><span class=\"lbl\">%s</span></a></li>\n", sideName(r.main), id, esc(label))
			}
		case e.verification != nil:
			fmt.Fprintf(b, "<li class=\"rung note %s\"><a href=\"#verify-%d\"><span class=\"lbl\">%s</span></a></li>\n",
				sideName(sideOf(e.verification.Client)), i, esc(verificationLabel(e.verification)))
		}
	}
	for _, v := range anchors[-1] {
		fmt.Fprintf(b, "<li class=\"rung note %s\"><a href=\"#%s\"><span class=\"lbl\">%s</span></a></li>\n",
			sideName(sideOf(v.trace.Client)), v.id, esc(verificationLabel(v.trace)))
	}
	if r.side.dropped > 0 {
		fmt.Fprintf(b, "<li class=\"rung note\"><span class=\"lbl\">… and %d more records, not drawn: a page keeps the first %d.</span></li>\n",
			r.side.dropped, maxPageRecords)
	}
	b.WriteString("</ol></nav>\n")
}

// calcAnchor says whether value event i starts a calculation box, and its
// id and ladder label.
func (r *renderer) calcAnchor(i int) (id, label string) {
	v := r.side.events[i].value
	switch v.Name {
	case "server_write_IV":
		return "keys", "⚙ " + r.sideName() + ": master secret → key block → six keys"
	case "client_verify_data":
		return "vd-client", "⚙ " + r.sideName() + ": client verify_data"
	case "server_verify_data":
		return "vd-server", "⚙ " + r.sideName() + ": server verify_data"
	}
	return "", ""
}

func verificationLabel(v *handshake.VerificationTrace) string {
	verifier, peer := "client", "server"
	if !v.Client {
		verifier, peer = "server", "client"
	}
	if v.Err != "" {
		return "✘ " + verifier + " refuses the " + peer + "'s certificate chain"
	}
	return "✔ " + verifier + " verifies the " + peer + "'s certificate chain"
}

// records draws each record and, between them, the calculations and
// verifications in the order they happened.
func (r *renderer) records(b *bytes.Buffer) {
	b.WriteString("<section id=\"records\" aria-labelledby=\"records-h\"><h2 id=\"records-h\">Record by record</h2>\n")
	b.WriteString("<p class=\"hint\">Point at a byte, or Tab to it, to see the field it belongs to. " +
		"With a field focused, ← → move between fields, [ ] between records.</p>\n")
	anchors := r.peerVerificationAnchors()
	n := 0
	for i, e := range r.side.events {
		switch {
		case e.record != nil:
			r.record(b, n, e.record)
			for _, v := range anchors[n] {
				r.verification(b, v.id, v.trace)
			}
			n++
		case e.value != nil:
			switch e.value.Name {
			case "server_write_IV":
				r.keyGraph(b)
			case "client_verify_data", "server_verify_data":
				r.verifyData(b, i)
			case "pre_master_secret", "session_hash", "master_secret", "master_secret (extended)", "master_secret (resumed)",
				"client_write_MAC_key", "server_write_MAC_key", "client_write_key", "server_write_key", "client_write_IV",
				"client_finished_handshake_hash", "server_finished_handshake_hash":
				// Drawn in the key graph or beside verify_data.
			default:
				// The randoms, a DHE group and exponents: where they happen.
				r.valueBox(b, e.value, "")
			}
		case e.verification != nil:
			r.verification(b, fmt.Sprintf("verify-%d", i), e.verification)
		}
	}
	for _, v := range anchors[-1] {
		r.verification(b, v.id, v.trace)
	}
	b.WriteString("</section>\n")
}

type anchoredVerification struct {
	id    string
	trace *handshake.VerificationTrace
}

// peerVerificationAnchors places the other side's verifications after the
// record that carried the chain they checked (-1: after the last record,
// e.g. a resumed session's stored chain).
func (r *renderer) peerVerificationAnchors() map[int][]anchoredVerification {
	out := map[int][]anchoredVerification{}
	for i, e := range r.peer.events {
		if e.verification == nil {
			continue
		}
		v := e.verification
		at, n := -1, 0
		for _, me := range r.side.events {
			if me.record == nil {
				continue
			}
			// The verified side is the one that did not verify.
			if recordFromClient(me.record) == !v.Client && findField(me.record.Content, "Certificate") != nil && at < 0 {
				at = n
			}
			n++
		}
		out[at] = append(out[at], anchoredVerification{id: fmt.Sprintf("verify-peer-%d", i), trace: v})
	}
	return out
}

// record draws one record: header line, the wire bytes and, for an
// encrypted record, the decrypted content and the protection's inputs.
func (r *renderer) record(b *bytes.Buffer, n int, rec *handshake.RecordTrace) {
	from, to := "client", "server"
	if !recordFromClient(rec) {
		from, to = "server", "client"
	}
	fmt.Fprintf(b, "<article class=\"rec %s\" id=\"rec-%d\" aria-labelledby=\"rec-%d-h\">\n", from, n, n)
	fmt.Fprintf(b, "<h3 id=\"rec-%d-h\">Record %d: %s → %s, %s</h3>\n", n, n, from, to, esc(recordLabel(rec)))
	prot := "plaintext: not yet protected"
	if rec.Protected {
		prot = "encrypted: after this direction's ChangeCipherSpec"
	}
	sent := "received"
	if rec.Sent {
		sent = "sent"
	}
	fmt.Fprintf(b, "<p class=\"meta\">%d bytes on the wire (5 header + %d fragment) · seq %d · %s · %s by the traced side (%s)</p>\n",
		len(rec.Wire), len(rec.Wire)-5, rec.Seq, prot, sent, r.sideName())
	fallback := contentSection(rec.Type.String())
	b.WriteString("<div class=\"panes\">\n")
	r.pane(b, "On the wire", fmt.Sprintf("r%d-w", n), rec.Wire, rec.Fields, fallback, "")
	if rec.Protected {
		decrypted := false
		for _, c := range rec.Protection {
			if strings.HasPrefix(c.Name, "GenericBlockCipher") && c.Data != nil {
				r.pane(b, "Decrypted", fmt.Sprintf("r%d-d", n), c.Data, c.Fields, fallback, c.Name+": "+c.Note)
				decrypted = true
			}
		}
		if !decrypted {
			r.pane(b, "Decrypted content", fmt.Sprintf("r%d-d", n), rec.Plaintext, rec.Content, fallback,
				"the plaintext the AEAD returned once the tag checked")
		}
	}
	b.WriteString("</div>\n")
	if rec.Protected {
		b.WriteString("<div class=\"panes small\">\n")
		for k, c := range rec.Protection {
			if strings.HasPrefix(c.Name, "GenericBlockCipher") {
				continue
			}
			if c.Data == nil {
				fmt.Fprintf(b, "<div class=\"pane\"><h4>%s <span class=\"sec\">%s</span></h4><p class=\"secret\">Not shown: %s.</p></div>\n",
					esc(c.Name), esc(c.Section), esc(c.Note))
				continue
			}
			r.pane(b, c.Name, fmt.Sprintf("r%d-p%d", n, k), c.Data, []handshake.Field{{Name: c.Name, End: len(c.Data), Fields: c.Fields}}, c.Section, c.Note)
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("<details><summary>Every field as a list</summary>\n")
	r.fieldList(b, rec.Fields, fallback)
	if rec.Protected {
		b.WriteString("<p>Decrypted:</p>")
		r.fieldList(b, rec.Content, fallback)
	}
	b.WriteString("</details>\n</article>\n")
}

// pane draws a byte string in hex with its fields highlighted.
func (r *renderer) pane(b *bytes.Buffer, title, id string, data []byte, fields []handshake.Field, fallback, note string) {
	fmt.Fprintf(b, "<div class=\"pane\"><h4>%s</h4>", esc(title))
	if note != "" {
		fmt.Fprintf(b, "<p class=\"note\">%s</p>", esc(note))
	}
	fmt.Fprintf(b, "<div class=\"hex\" id=\"%s\">", id)
	h := &hexWriter{b: b, data: data, id: id, fallback: fallback}
	h.fields(fields, nil)
	h.gap(len(data))
	b.WriteString("</div></div>\n")
}

// hexWriter writes the leaves of a field tree as highlighted hex.
type hexWriter struct {
	b        *bytes.Buffer
	data     []byte
	id       string
	fallback string
	pos      int // bytes written so far
	leaf     int
}

func (h *hexWriter) fields(fields []handshake.Field, path []handshake.Field) {
	for _, f := range fields {
		p := append(path[:len(path):len(path)], f)
		if len(f.Fields) > 0 {
			h.fields(f.Fields, p)
			continue
		}
		if f.Start < h.pos || f.End > len(h.data) || f.Start > f.End {
			continue // overlapping or out of range: never drawn twice
		}
		h.gap(f.Start)
		h.leafSpan(f, p)
	}
}

// gap writes bytes no field labels (there should be none).
func (h *hexWriter) gap(to int) {
	if to > h.pos && to <= len(h.data) {
		fmt.Fprintf(h.b, "<span class=\"gap\">%s</span>", hexBytes(h.data[h.pos:to]))
		h.pos = to
	}
}

func (h *hexWriter) leafSpan(f handshake.Field, path []handshake.Field) {
	id := fmt.Sprintf("%s-%d", h.id, h.leaf)
	fmt.Fprintf(h.b, "<span class=\"f k%d\" id=\"%s\" tabindex=\"0\" aria-describedby=\"%s-t\">", h.leaf%6, id, id)
	bytesOf := h.data[f.Start:f.End]
	if len(bytesOf) > maxFieldBytes {
		fmt.Fprintf(h.b, "%s <span class=\"cut\">… %d more bytes …</span>", hexBytes(bytesOf[:512]), len(bytesOf)-512)
	} else {
		h.b.WriteString(hexBytes(bytesOf))
	}
	fmt.Fprintf(h.b, "<span class=\"tip\" role=\"tooltip\" id=\"%s-t\">", id)
	var names []string
	for _, p := range path {
		name := p.Name
		if _, ok := p.Value.(handshake.Enum); ok && p.Name == "Extension" {
			name += " " + fieldValueText(p)
		}
		names = append(names, name)
	}
	fmt.Fprintf(h.b, "<b class=\"tn\">%s</b>", esc(f.Name))
	if len(names) > 1 {
		fmt.Fprintf(h.b, "<span class=\"tp\">%s</span>", esc(strings.Join(names[:len(names)-1], " › ")))
	}
	if v := fieldValueText(f); v != "" && f.Name != "contents" {
		fmt.Fprintf(h.b, "<span class=\"tv\">= %s</span>", esc(v))
	}
	if b, ok := f.Value.(handshake.HexBytes); ok && f.Name == "application_data" {
		if text, ok := asText(b); ok {
			fmt.Fprintf(h.b, "<span class=\"tv\">as text: %s</span>", esc(text))
		}
	}
	if e, ok := f.Value.(handshake.Enum); ok && isGREASE(e.Hex) {
		h.b.WriteString("<span class=\"tx\">GREASE (RFC 8701): a reserved value the client sends at random; the server must ignore it.</span>")
	}
	if f.Note != "" {
		fmt.Fprintf(h.b, "<span class=\"tx\">%s</span>", esc(f.Note))
	}
	for i := len(path) - 2; i >= 0; i-- {
		if path[i].Note != "" {
			fmt.Fprintf(h.b, "<span class=\"tx\">%s: %s</span>", esc(path[i].Name), esc(path[i].Note))
		}
	}
	fmt.Fprintf(h.b, "<span class=\"ts\">%s · bytes %d–%d (%d)</span></span></span> ",
		esc(sectionFor(path, h.fallback)), f.Start, f.End-1, f.End-f.Start)
	h.pos = f.End
	h.leaf++
}

// hexBytes writes bytes as "16 03 03".
func hexBytes(b []byte) string {
	var s strings.Builder
	for i, x := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", x)
	}
	return s.String()
}

// fieldList writes a field tree as nested lists: the annotations without
// pointing, for screen readers and for print.
func (r *renderer) fieldList(b *bytes.Buffer, fields []handshake.Field, fallback string) {
	var walk func([]handshake.Field, []handshake.Field)
	walk = func(fields, path []handshake.Field) {
		b.WriteString("<ul class=\"tree\">")
		for _, f := range fields {
			p := append(path[:len(path):len(path)], f)
			fmt.Fprintf(b, "<li><b>%s</b>", esc(f.Name))
			if v := fieldValueText(f); v != "" {
				fmt.Fprintf(b, " = <code>%s</code>", esc(v))
			}
			if f.Note != "" {
				fmt.Fprintf(b, " <i>%s</i>", esc(f.Note))
			}
			fmt.Fprintf(b, " <span class=\"sec\">[%s; bytes %d–%d]</span>", esc(sectionFor(p, fallback)), f.Start, f.End-1)
			if len(f.Fields) > 0 {
				walk(f.Fields, p)
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>\n")
	}
	walk(fields, nil)
}

// peerValue is the other side's value of that name, if it traced one.
func (r *renderer) peerValue(name string) *handshake.ValueTrace {
	for _, e := range r.peer.events {
		if e.value != nil && e.value.Name == name {
			return e.value
		}
	}
	return nil
}

// valueBox draws one derived value: its name, bytes, formula, section and
// the glasstls function that computed it.
func (r *renderer) valueBox(b *bytes.Buffer, v *handshake.ValueTrace, class string) {
	if v == nil {
		return
	}
	id := "v-" + strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(v.Name)
	fmt.Fprintf(b, "<div class=\"box %s\" id=\"%s\"><div class=\"bn\">%s</div>", class, id, esc(v.Name))
	switch {
	case v.Value == nil && v.Secret:
		b.WriteString("<p class=\"secret\">Secret: not in this trace. With Config.TraceSecrets (the examples' -trace-secrets or -secrets flag) its bytes would be here.</p>")
	case len(v.Value) == 0:
		b.WriteString("<p class=\"bv\">(empty: this suite has none)</p>")
	default:
		fmt.Fprintf(b, "<code class=\"bv\">%s</code><span class=\"len\">%d bytes</span>", wrapHex(v.Value), len(v.Value))
	}
	fmt.Fprintf(b, "<div class=\"bf\">%s</div><div class=\"bs\">%s · <code>%s</code></div>", esc(v.Formula), esc(v.Section), esc(v.Function))
	if pv := r.peerValue(v.Name); pv != nil && pv.Value != nil && v.Value != nil && bytes.Equal(pv.Value, v.Value) {
		fmt.Fprintf(b, "<div class=\"same\">The %s computed the same bytes.</div>", sideName(1-r.main))
	}
	b.WriteString("</div>\n")
}

// wrapHex writes a value's hex in groups of four bytes, so that long
// values wrap.
func wrapHex(v []byte) string {
	s := fmt.Sprintf("%x", v)
	var out []string
	for len(s) > 8 {
		out = append(out, s[:8])
		s = s[8:]
	}
	return strings.Join(append(out, s), "<wbr>")
}

// keyGraph draws the key schedule as it ran: inputs, master secret, key
// block, the six keys.
func (r *renderer) keyGraph(b *bytes.Buffer) {
	fmt.Fprintf(b, "<section class=\"calc\" id=\"keys\" aria-labelledby=\"keys-h\"><h3 id=\"keys-h\">Key calculation (computed by the %s)</h3>\n", r.sideName())
	b.WriteString("<div class=\"graph\">\n<div class=\"row\">")
	resumed := r.value("master_secret (resumed)")
	r.valueBox(b, r.value("client_random"), "in")
	r.valueBox(b, r.value("server_random"), "in")
	if resumed == nil {
		r.valueBox(b, r.value("pre_master_secret"), "in")
		r.valueBox(b, r.value("session_hash"), "in")
	}
	b.WriteString("</div>\n")
	master := r.value("master_secret (extended)")
	arrow := "PRF(pre_master_secret, \"extended master secret\", session_hash) — prf.ExtendedMasterSecret (RFC 7627, 4)"
	switch {
	case resumed != nil:
		master, arrow = resumed, "no key exchange: the master secret is the resumed session's"
	case master == nil:
		master = r.value("master_secret")
		arrow = "PRF(pre_master_secret, \"master secret\", client_random + server_random) — prf.MasterSecret (RFC 5246, 8.1)"
	}
	fmt.Fprintf(b, "<div class=\"arrow\" aria-hidden=\"false\">↓ %s</div>\n<div class=\"row\">", esc(arrow))
	r.valueBox(b, master, "ms")
	b.WriteString("</div>\n<div class=\"arrow\">↓ key_block = PRF(master_secret, \"key expansion\", server_random + client_random) — prf.KeysFromMasterSecret, in Conn.establishKeys (RFC 5246, 6.3), cut into six parts in this order</div>\n<div class=\"row six\">")
	for _, name := range []string{"client_write_MAC_key", "server_write_MAC_key", "client_write_key", "server_write_key", "client_write_IV", "server_write_IV"} {
		r.valueBox(b, r.value(name), "key")
	}
	b.WriteString("</div>\n</div></section>\n")
}

// masterSecret is whichever master secret this handshake used.
func (r *renderer) masterSecret() *handshake.ValueTrace {
	for _, name := range []string{"master_secret (extended)", "master_secret", "master_secret (resumed)"} {
		if v := r.value(name); v != nil {
			return v
		}
	}
	return nil
}

// verifyData draws a Finished calculation: the transcript hash, then
// verify_data.
func (r *renderer) verifyData(b *bytes.Buffer, i int) {
	v := r.side.events[i].value
	who := strings.TrimSuffix(v.Name, "_verify_data")
	fmt.Fprintf(b, "<section class=\"calc\" id=\"vd-%s\" aria-labelledby=\"vd-%s-h\"><h3 id=\"vd-%s-h\">The %s's Finished: verify_data (computed by the %s)</h3>\n<div class=\"graph\"><div class=\"row\">",
		who, who, who, who, r.sideName())
	r.valueBox(b, r.value(who+"_finished_handshake_hash"), "in")
	r.valueBox(b, r.masterSecret(), "in")
	fmt.Fprintf(b, "</div><div class=\"arrow\">↓ PRF(master_secret, \"%s finished\", Hash(handshake_messages))[0..11] — prf.VerifyData (RFC 5246, 7.4.9)</div><div class=\"row\">", who)
	r.valueBox(b, v, "ms")
	b.WriteString("</div></div></section>\n")
}

// verification draws one certificate chain verification, check by check.
func (r *renderer) verification(b *bytes.Buffer, id string, v *handshake.VerificationTrace) {
	verifier, peer := "client", "server"
	if !v.Client {
		verifier, peer = "server", "client"
	}
	fmt.Fprintf(b, "<section class=\"verify\" id=\"%s\" aria-labelledby=\"%s-h\"><h3 id=\"%s-h\">%s</h3>\n", id, id, id, esc(verificationLabel(v)))
	name := "no host name: a " + peer + " certificate names no host"
	if v.ServerName != "" {
		name = "the leaf must name <code>" + esc(v.ServerName) + "</code>"
	}
	fmt.Fprintf(b, "<p>The %s ran x509verify.Verify (RFC 5280, 6) on the chain the %s sent: %s; validity checked at %s; extendedKeyUsage %s required. ",
		verifier, peer, name, esc(v.Time.Format("2006-01-02 15:04:05 UTC")), esc(v.Usage))
	if v.Err != "" {
		fmt.Fprintf(b, "<strong class=\"bad\">Verdict: refused: %s</strong></p>\n", esc(v.Err))
	} else {
		b.WriteString("<strong class=\"good\">Verdict: verified.</strong></p>\n")
	}
	b.WriteString("<ol class=\"chain\">")
	for i, c := range v.Chain {
		role := "intermediate"
		if i == 0 {
			role = "leaf"
		}
		fmt.Fprintf(b, "<li><b>%s</b> (%s)<br>issuer %s<br>valid %s to %s · %s · signed with %s",
			esc(c.Subject), role, esc(c.Issuer), c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02"), esc(c.PublicKey), esc(c.SignatureAlgorithm))
		if len(c.DNSNames) > 0 {
			fmt.Fprintf(b, "<br>subjectAltName DNS: %s", esc(strings.Join(c.DNSNames, ", ")))
		}
		fmt.Fprintf(b, "<br><span class=\"fp\">SHA-256 %s</span></li>", wrapHex(c.SHA256))
	}
	b.WriteString("</ol>\n<table class=\"checks\"><caption>Each check, in the order x509verify ran it</caption><thead><tr><th scope=\"col\">Certificate</th><th scope=\"col\">Check</th><th scope=\"col\">Rule</th><th scope=\"col\">Result</th></tr></thead><tbody>\n")
	for _, c := range v.Checks {
		subject := c.Subject
		if c.Issuer != "" {
			subject += " (by " + c.Issuer + ")"
		}
		result := "<td class=\"good\">✔ passed</td>"
		if c.Err != "" {
			result = "<td class=\"bad\">✘ failed: " + esc(c.Err) + "</td>"
		}
		fmt.Fprintf(b, "<tr><td>%s</td><td>%s</td><td>%s</td>%s</tr>\n", esc(subject), esc(c.Check), esc(c.Section), result)
	}
	b.WriteString("</tbody></table>\n")
	for _, chain := range v.Verified {
		var names []string
		for _, c := range chain {
			names = append(names, c.Subject)
		}
		fmt.Fprintf(b, "<p>Verified chain: %s (a trust anchor).</p>\n", esc(strings.Join(names, " → ")))
	}
	b.WriteString("</section>\n")
}

// help explains how to read and use the page.
func (r *renderer) help(b *bytes.Buffer) {
	b.WriteString(`<section id="help" aria-labelledby="help-h"><h2 id="help-h">Reading this page</h2>
<p>Every byte of every record is shown once, in hex. Each coloured run is one field; the colours only separate neighbours (they alternate and differ in lightness and underline, so they survive greyscale print). Point at a field or focus it with Tab to see its name in RFC 5246's presentation language, its value decoded, a note, and the RFC section. "Every field as a list" under each record says the same without pointing.</p>
<p>Keys: Tab and Shift+Tab visit each field; with a field focused, ← and → go to the previous and next field, [ and ] to the previous and next record, Esc leaves the field.</p>
<p>The page was made by glasstls's trace.Page from one connection's trace (Config.Trace). Values come from the functions named under them; set a breakpoint there to watch them being computed.</p>
</section>
`)
}

// asText shows application data as text when it is text (an HTTP
// request, say), cut to a few lines.
func asText(b []byte) (string, bool) {
	const max = 600
	if len(b) > max {
		b = b[:max]
	}
	for _, c := range b {
		if (c < 0x20 || c > 0x7e) && c != '\r' && c != '\n' && c != '\t' {
			return "", false
		}
	}
	return strings.NewReplacer("\r\n", " ⏎ ", "\n", " ⏎ ").Replace(string(b)), true
}
