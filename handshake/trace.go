package handshake

import (
	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/prf"
	"github.com/glasstls/glasstls/record"
)

// Tracer observes a connection: every record and handshake message sent or
// received, and every value the handshake derives (Config.Trace). The
// package handshake/trace has ready-made text, JSON and hex-dump tracers.
//
// The methods run on the goroutine doing the I/O, so they see events in
// the order they happen on that connection. After the handshake, one
// goroutine may read while another writes: a Tracer shared by several
// connections, or used with concurrent Read and Write, must be safe for
// concurrent use. The byte slices in an event belong to the tracer.
type Tracer interface {
	// TraceRecord is called for each record as it crosses the wire
	// (RFC 5246, 6.2).
	TraceRecord(RecordTrace)
	// TraceMessage is called for each handshake message (RFC 5246, 7.4)
	// once it is whole: after reassembly when received, before it is
	// framed into records when sent.
	TraceMessage(MessageTrace)
	// TraceValue is called for each value the handshake computes: the
	// randoms, the pre-master and master secrets, the key block's parts and
	// both verify_data.
	TraceValue(ValueTrace)
}

// RecordTrace is one record (RFC 5246, 6.2).
type RecordTrace struct {
	Client  bool               `json:"client"` // the tracing side is the client
	Sent    bool               `json:"sent"`   // we wrote it (false: we read it)
	Type    record.ContentType `json:"-"`      // the header's ContentType (trace.JSON writes it as an enum)
	Version uint16             `json:"-"`      // the header's ProtocolVersion (likewise)
	Seq     uint64             `json:"seq"`    // the sequence number it was protected with
	// Protected is true once ChangeCipherSpec has switched this direction to
	// the negotiated suite: the fragment on the wire is then encrypted.
	Protected bool `json:"protected"`
	// Wire is the whole record as sent: 5-byte header and fragment.
	Wire HexBytes `json:"wire"`
	// Plaintext is the fragment before protection / after it is removed.
	Plaintext HexBytes `json:"plaintext"`
	// Fields label every byte of Wire: the header, then either the
	// content (unprotected) or the protection's framing (nonce, ciphertext,
	// tag or MAC).
	Fields []Field `json:"fields"`
	// Content labels Plaintext field by field (for a protected record; for
	// an unprotected one it is the same as the fragment part of Fields).
	Content []Field `json:"content"`
	// Protection, for a protected record, shows what the protection put
	// around the content, each a labelled byte string (trace_protection.go):
	// the encrypted part in the clear for a CBC suite (content, MAC,
	// padding), the nonce, and the additional data that the tag or the MAC
	// covers.
	Protection []Computed `json:"protection,omitempty"`
}

// MessageTrace is one whole handshake message (RFC 5246, 7.4).
type MessageTrace struct {
	Client bool     `json:"client"`   // the tracing side is the client
	Sent   bool     `json:"sent"`     // we wrote it (false: we read it)
	Type   Enum     `json:"msg_type"` // HandshakeType (RFC 5246, 7.4)
	Name   string   `json:"name"`     // e.g. "ClientHello"
	Raw    HexBytes `json:"raw"`      // header included
	// Fields decode Raw field by field, with the RFC's names.
	Fields []Field `json:"fields"`
}

// ValueTrace is one derived value, with the formula that made it.
type ValueTrace struct {
	Client  bool   `json:"client"`  // the tracing side is the client
	Name    string `json:"name"`    // the RFC's name, e.g. "master_secret"
	Formula string `json:"formula"` // how it was computed, in the RFC's notation
	Section string `json:"section"` // where the RFC defines it, e.g. "RFC 5246, 8.1"
	// Function names the glasstls function that computed it, e.g.
	// "prf.MasterSecret", for a reader who wants to set a breakpoint.
	Function string `json:"function"`
	// Secret is true for values that would let an eavesdropper decrypt the
	// connection (pre-master and master secrets, keys, IVs).
	Secret bool `json:"secret"`
	// Value is the value itself, or nil for a secret when
	// Config.TraceSecrets is false.
	Value HexBytes `json:"value"`
}

// Field labels a byte range of a message or record with the name the RFC's
// presentation language gives it, and its decoded value: Name (the RFC's
// name, e.g. "client_version"), Start and End (the offsets of the first
// byte and after the last), Value (an Enum, a uint64 for lengths and
// counts, a string for a host name or a protocol, HexBytes, or nil for a
// structure), Note (a few words of explanation) and Fields (the parts of a
// structure or vector, labelled the same way).
//
// The message codec makes Fields as it parses (handshake/internal/wire), so
// what the trace shows is what the state machine read.
type Field = wire.Field

// Enum is a protocol constant: Hex is its value in hex ("0xC02F"), Name
// its RFC or IANA name ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").
// String returns "NAME (0xHEX)".
type Enum = wire.Enum

// HexBytes is a byte string shown (and marshalled to JSON) in hex.
type HexBytes = wire.HexBytes

// Names of the traced values, as RFC 5246 spells them.
const (
	valueClientRandom        = "client_random"
	valueServerRandom        = "server_random"
	valuePreMasterSecret     = "pre_master_secret"
	valueSessionHash         = "session_hash"
	valueMasterSecret        = "master_secret"
	valueClientMACKey        = "client_write_MAC_key"
	valueServerMACKey        = "server_write_MAC_key"
	valueClientWriteKey      = "client_write_key"
	valueServerWriteKey      = "server_write_key"
	valueClientIV            = "client_write_IV"
	valueServerIV            = "server_write_IV"
	valueClientVerifyData    = "client_verify_data"
	valueServerVerifyData    = "server_verify_data"
	valueClientHandshakeHash = "client_finished_handshake_hash"
	valueServerHandshakeHash = "server_finished_handshake_hash"
	valueExtendedMasterKey   = "master_secret (extended)"
	valueResumedMasterSecret = "master_secret (resumed)"
	valueDHP                 = "dh_p"
	valueDHG                 = "dh_g"
	valueDHServerPrivate     = "dh_Xs"
	valueDHServerPublic      = "dh_Ys"
	valueDHClientPrivate     = "dh_Xc"
	valueDHClientPublic      = "dh_Yc"
)

// valueInfo says how the RFC computes a traced value, where, and whether
// it is secret.
type valueInfo struct {
	formula, section string
	secret           bool
	function         string
}

// valueFormula looks a traced value up by name. (A function, not a
// package-level map: the package keeps no mutable state.)
func valueFormula(name string) valueInfo {
	return map[string]valueInfo{
		valueClientRandom:        {"ClientHello.random: gmt_unix_time(4) + random_bytes(28) in the RFC; all 32 bytes from Config.Rand here (no clock: it would fingerprint the host)", "RFC 5246, 7.4.1.2", false, "Conn.randomBytes, in clientHandshakeState.sendClientHello"},
		valueServerRandom:        {"ServerHello.random: 32 bytes from Config.Rand, like ClientHello.random", "RFC 5246, 7.4.1.3", false, "Conn.randomBytes, in serverHandshakeState.sendServerHello"},
		valuePreMasterSecret:     {"ECDHE X25519: X25519(our private key, peer's public key), a 32-byte string (RFC 7748, 6.1); ECDHE P-256/P-384: x-coordinate of (our private key * peer's public point); DHE: Z = dh_Ys^dh_Xc mod dh_p = dh_Yc^dh_Xs mod dh_p, leading zero bytes stripped; RSA: client_version(2) + 46 random bytes, RSA-encrypted in ClientKeyExchange", "RFC 8422, 5.10; RFC 5246, 8.1.2; RFC 5246, 7.4.7.1", true, "cipher.ECDHESharedSecret (ECDHE); cipher.DHESharedSecret (DHE); cipher.NewRSAPreMasterSecret and cipher.DecryptRSAPreMasterSecret (RSA)"},
		valueDHP:                 {"the DHE group's prime modulus p (ServerKeyExchange.dh_p): an RFC 7919 safe prime, (p-1)/2 prime too", "RFC 5246, 7.4.3; RFC 7919, A", false, "cipher.FFDHEGroup"},
		valueDHG:                 {"the DHE group's generator g (ServerKeyExchange.dh_g)", "RFC 5246, 7.4.3; RFC 7919, A", false, "cipher.FFDHEGroup"},
		valueDHServerPrivate:     {"the server's private exponent Xs: random bits from Config.Rand (225 of them for ffdhe2048), never sent", "RFC 7919, 5.2", true, "cipher.GenerateDHEKey"},
		valueDHServerPublic:      {"dh_Ys = g^Xs mod p, in ServerKeyExchange, padded to the length of p", "RFC 5246, 7.4.3", false, "cipher.DHEPublicKey"},
		valueDHClientPrivate:     {"the client's private exponent Xc: random bits from Config.Rand, never sent", "RFC 7919, 5.2", true, "cipher.GenerateDHEKey"},
		valueDHClientPublic:      {"dh_Yc = g^Xc mod p, in ClientKeyExchange; checked 1 < Y < p-1 and Y^q = 1 mod p", "RFC 5246, 7.4.7.2; RFC 7919, 5.1", false, "cipher.DHEPublicKey"},
		valueSessionHash:         {"Hash(handshake_messages) from ClientHello through ClientKeyExchange", "RFC 7627, 3", false, "transcript.sum, in computeMasterSecret"},
		valueMasterSecret:        {"PRF(pre_master_secret, \"master secret\", ClientHello.random + ServerHello.random)[0..47]", "RFC 5246, 8.1", true, "prf.MasterSecret"},
		valueExtendedMasterKey:   {"PRF(pre_master_secret, \"extended master secret\", session_hash)[0..47]", "RFC 7627, 4", true, "prf.ExtendedMasterSecret"},
		valueResumedMasterSecret: {"the session's master_secret, from the server's session cache or the ticket: no key exchange", "RFC 5246, 7.3 (Figure 2); RFC 5077, 3.1", true, "session.State.MasterSecret, in resumeHandshake (resume_client.go, resume_server.go)"},
		valueClientMACKey:        {"key_block = PRF(master_secret, \"key expansion\", server_random + client_random); 1st part", "RFC 5246, 6.3", true, "prf.KeysFromMasterSecret, in Conn.establishKeys"},
		valueServerMACKey:        {"key_block, 2nd part", "RFC 5246, 6.3", true, "prf.KeysFromMasterSecret, in Conn.establishKeys"},
		valueClientWriteKey:      {"key_block, 3rd part", "RFC 5246, 6.3", true, "prf.KeysFromMasterSecret, in Conn.establishKeys"},
		valueServerWriteKey:      {"key_block, 4th part", "RFC 5246, 6.3", true, "prf.KeysFromMasterSecret, in Conn.establishKeys"},
		valueClientIV:            {"key_block, 5th part (AEAD implicit nonce; empty for CBC)", "RFC 5246, 6.3; RFC 5288, 3", true, "prf.KeysFromMasterSecret, in Conn.establishKeys"},
		valueServerIV:            {"key_block, 6th part", "RFC 5246, 6.3; RFC 5288, 3", true, "prf.KeysFromMasterSecret, in Conn.establishKeys"},
		valueClientVerifyData:    {"PRF(master_secret, \"client finished\", Hash(handshake_messages))[0..11]", "RFC 5246, 7.4.9", false, "prf.VerifyData, in finishedVerifyData"},
		valueClientHandshakeHash: {"Hash(handshake_messages): every handshake message before the client's Finished, headers included", "RFC 5246, 7.4.9", false, "transcript.sum, in finishedVerifyData"},
		valueServerHandshakeHash: {"Hash(handshake_messages): every handshake message before the server's Finished (the client's Finished included on a full handshake)", "RFC 5246, 7.4.9", false, "transcript.sum, in finishedVerifyData"},
		valueServerVerifyData:    {"PRF(master_secret, \"server finished\", Hash(handshake_messages))[0..11]", "RFC 5246, 7.4.9", false, "prf.VerifyData, in finishedVerifyData"},
	}[name]
}

// traceValue reports a derived value to Config.Trace, hiding secrets unless
// Config.TraceSecrets. It is a one-liner at each derivation in the
// handshake, so the handshake still reads straight.
func (c *Conn) traceValue(name string, value []byte) {
	if c.config.Trace == nil {
		return
	}
	f := valueFormula(name)
	v := ValueTrace{Client: c.isClient, Name: name, Formula: f.formula, Section: f.section, Function: f.function, Secret: f.secret}
	if !f.secret || c.config.TraceSecrets {
		v.Value = HexBytes(append([]byte{}, value...)) // non-nil even when empty (AEAD suites have no MAC key)
	}
	c.config.Trace.TraceValue(v)
}

// traceMasterSecret reports the pre-master and master secrets.
func (c *Conn) traceMasterSecret(preMasterSecret, masterSecret []byte, extended bool) {
	c.traceValue(valuePreMasterSecret, preMasterSecret)
	if extended {
		c.traceValue(valueExtendedMasterKey, masterSecret)
		return
	}
	c.traceValue(valueMasterSecret, masterSecret)
}

// traceDHGroup reports the DHE group's p and g.
func (c *Conn) traceDHGroup(group *cipher.DHGroup) {
	if c.config.Trace == nil {
		return
	}
	c.traceValue(valueDHP, group.P.Bytes())
	c.traceValue(valueDHG, group.G.Bytes())
}

// traceDHKey reports one side's DHE private exponent and public value.
func (c *Conn) traceDHKey(server bool, priv *cipher.DHPrivateKey) {
	if c.config.Trace == nil {
		return
	}
	if server {
		c.traceValue(valueDHServerPrivate, priv.X.Bytes())
		c.traceValue(valueDHServerPublic, cipher.DHEPublicKey(priv))
		return
	}
	c.traceValue(valueDHClientPrivate, priv.X.Bytes())
	c.traceValue(valueDHClientPublic, cipher.DHEPublicKey(priv))
}

// traceKeyBlock reports the key block's six parts, and remembers the suite
// so that protected records can be labelled.
func (c *Conn) traceKeyBlock(suite *cipher.Suite, kb prf.KeyBlock, encryptThenMAC bool) {
	if c.config.Trace == nil {
		return
	}
	c.traceSuite, c.traceEncryptThenMAC, c.traceKeys = suite, encryptThenMAC, kb
	c.traceValue(valueClientMACKey, kb.ClientMACKey)
	c.traceValue(valueServerMACKey, kb.ServerMACKey)
	c.traceValue(valueClientWriteKey, kb.ClientWriteKey)
	c.traceValue(valueServerWriteKey, kb.ServerWriteKey)
	c.traceValue(valueClientIV, kb.ClientIV)
	c.traceValue(valueServerIV, kb.ServerIV)
}

// traceVerifyData reports a Finished message's verify_data, after the
// transcript hash it was computed from (t must not have changed since).
func (c *Conn) traceVerifyData(fromClient bool, t *transcript, verifyData []byte) {
	if c.config.Trace == nil {
		return
	}
	if fromClient {
		c.traceValue(valueClientHandshakeHash, t.sum())
		c.traceValue(valueClientVerifyData, verifyData)
		return
	}
	c.traceValue(valueServerHandshakeHash, t.sum())
	c.traceValue(valueServerVerifyData, verifyData)
}

// traceMessage reports a whole handshake message.
func (c *Conn) traceMessage(sent bool, data []byte) {
	if c.config.Trace == nil || len(data) == 0 {
		return
	}
	raw := append([]byte(nil), data...)
	c.config.Trace.TraceMessage(MessageTrace{
		Client: c.isClient,
		Sent:   sent,
		Type:   wire.Enum8(raw[0], wire.MessageName(raw[0])),
		Name:   wire.MessageName(raw[0]),
		Raw:    raw,
		Fields: wire.Describe(raw, c.keyExchange),
	})
}

// traceRecord is the record layer's observer (record.Conn.SetObserver).
func (c *Conn) traceRecord(ev record.RecordEvent) {
	wireBytes := append([]byte(nil), ev.Wire...)
	plaintext := append([]byte(nil), ev.Plaintext...)
	// Null protection leaves the fragment as it is; every real suite adds
	// at least a tag or a MAC, so a length change means protection.
	protected := len(wireBytes)-record.RecordHeaderLen != len(plaintext)
	content := wire.DescribeContent(ev.Type, plaintext, c.keyExchange)
	fields := []Field{wire.DescribeRecordHeader(wireBytes, protected)}
	if protected {
		fields = append(fields, wire.DescribeProtected(wireBytes, len(plaintext), c.traceSuite, c.traceEncryptThenMAC)...)
	} else {
		fields = append(fields, wire.Shift(content, record.RecordHeaderLen)...)
	}
	c.config.Trace.TraceRecord(RecordTrace{
		Client: c.isClient, Sent: ev.Sent, Type: ev.Type, Version: ev.Version, Seq: ev.Seq,
		Protected: protected, Wire: wireBytes, Plaintext: plaintext, Fields: fields, Content: content,
		// The event's slices belong to the record layer and are reused:
		// describe the copies, which the tracer may keep.
		Protection: c.describeProtection(record.RecordEvent{Sent: ev.Sent, Type: ev.Type, Version: ev.Version, Seq: ev.Seq, Wire: wireBytes, Plaintext: plaintext}, protected, content),
	})
}
