package handshake

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/prf"
	"github.com/glasstls/glasstls/record"
)

// mitm is a man in the middle between a glasstls client and a glasstls
// server, for the hostile-input tests. Each direction reassembles the
// sender's messages with its own record layer, shows each one to a hook
// (which may rewrite, drop or inject messages and raw bytes), and forwards
// the rest. It records every alert each side puts on the wire.
//
// It learns the session keys the way Wireshark does: from the honest peer's
// KeyLogWriter, written as soon as the master secret exists. So it can
// rewrite encrypted records too, as an attacker holding the secrets could;
// the victim (the other peer) only ever sees well-formed records unless a
// hook says otherwise.
type mitm struct {
	mu           sync.Mutex
	clientHello  *wire.ClientHello
	serverHello  *wire.ServerHello
	masterSecret []byte
	keysReady    chan struct{}

	c2s, s2c *mitmDir
}

// mitmMsg is one message as the proxy read it.
type mitmMsg struct {
	typ  record.ContentType
	data []byte // a whole handshake message (header included), the CCS byte, or application data
	nth  int    // 1 for the first message of this kind in this direction
}

// is reports whether m is the nth handshake message of type hsType.
func (m mitmMsg) is(hsType uint8, nth int) bool {
	return m.typ == record.TypeHandshake && m.data[0] == hsType && m.nth == nth
}

// mitmHook sees each message in one direction; it returns true when it has
// dealt with the message itself (sent something else, or nothing).
type mitmHook func(d *mitmDir, m mitmMsg) bool

// mitmDir is one direction of the proxy.
type mitmDir struct {
	m          *mitm
	done       chan struct{} // closed when the direction has ended
	fromClient bool
	from       *record.Conn // reads the sender's records
	to         *record.Conn // writes records to the receiver
	fromRaw    net.Conn
	toRaw      *corruptingConn
	hook       mitmHook
	dropRest   bool // set by a hook: forward nothing more
	counts     map[int]int
	version    uint16 // record version of the last record read, mirrored on write

	// Filled in by the direction's goroutine; read after it ended.
	alerts           []record.Alert // every alert the sender put on the wire
	err              error          // how the direction ended
	closedAfterAlert bool           // the sender closed its transport after a fatal alert
}

// corruptingConn lets a hook damage the next record the proxy writes, after
// it was sealed: a flipped ciphertext byte, a truncated record.
type corruptingConn struct {
	net.Conn
	next func([]byte) []byte
}

func (c *corruptingConn) Write(b []byte) (int, error) {
	if c.next != nil {
		damaged := c.next(bytes.Clone(b))
		c.next = nil
		if _, err := c.Conn.Write(damaged); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return c.Conn.Write(b)
}

// keyLog receives the honest peer's NSS key log line.
type mitmKeyLog struct{ m *mitm }

func (k mitmKeyLog) Write(p []byte) (int, error) {
	fields := strings.Fields(string(p))
	if len(fields) != 3 || fields[0] != "CLIENT_RANDOM" {
		return 0, fmt.Errorf("mitm: unexpected key log line %q", p)
	}
	secret, err := hex.DecodeString(fields[2])
	if err != nil {
		return 0, err
	}
	k.m.mu.Lock()
	defer k.m.mu.Unlock()
	if k.m.masterSecret == nil {
		k.m.masterSecret = secret
		close(k.m.keysReady)
	}
	return len(p), nil
}

// startMITM connects client and server through a proxy and returns the two
// Conns (not yet handshaken). The honest peer's KeyLogWriter is set to feed
// the proxy (the configs are cloned first).
func startMITM(t *testing.T, clientConfig, serverConfig *Config, honestIsClient bool, c2s, s2c mitmHook) (*mitm, *Conn, *Conn) {
	t.Helper()
	m := &mitm{keysReady: make(chan struct{})}
	clientConfig, serverConfig = clientConfig.Clone(), serverConfig.Clone()
	if honestIsClient {
		clientConfig.KeyLogWriter = mitmKeyLog{m}
	} else {
		serverConfig.KeyLogWriter = mitmKeyLog{m}
	}
	clientRaw, proxyClientEnd := tcpPair(t)
	proxyServerEnd, serverRaw := tcpPair(t)
	deadline := time.Now().Add(20 * time.Second)
	for _, c := range []net.Conn{clientRaw, proxyClientEnd, proxyServerEnd, serverRaw} {
		_ = c.SetDeadline(deadline)
	}
	toClient := &corruptingConn{Conn: proxyClientEnd}
	toServer := &corruptingConn{Conn: proxyServerEnd}
	clientSide := record.NewConn(proxyClientEnd, toClient)
	serverSide := record.NewConn(proxyServerEnd, toServer)
	m.c2s = &mitmDir{m: m, done: make(chan struct{}), fromClient: true, from: clientSide, to: serverSide, fromRaw: proxyClientEnd, toRaw: toServer, hook: c2s, counts: map[int]int{}}
	m.s2c = &mitmDir{m: m, done: make(chan struct{}), fromClient: false, from: serverSide, to: clientSide, fromRaw: proxyServerEnd, toRaw: toClient, hook: s2c, counts: map[int]int{}}
	clientSide.SetObserver(m.c2s.observe)
	serverSide.SetObserver(m.s2c.observe)

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); m.c2s.run() }()
	go func() { defer wg.Done(); m.s2c.run() }()
	t.Cleanup(func() {
		for _, c := range []net.Conn{clientRaw, proxyClientEnd, proxyServerEnd, serverRaw} {
			c.Close()
		}
		wg.Wait()
	})
	return m, Client(clientRaw, clientConfig), Server(serverRaw, serverConfig)
}

// wait blocks until both directions have ended (or fails the test).
func (m *mitm) wait(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		for _, d := range []*mitmDir{m.c2s, m.s2c} {
			d.waitEnd()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("mitm: proxy did not finish")
	}
}

func (d *mitmDir) waitEnd() { <-d.done }

// observe runs inside from.ReadMessage for every record read (and, since
// the observer is per record.Conn, for records the other direction writes,
// which it ignores).
func (d *mitmDir) observe(ev record.RecordEvent) {
	if ev.Sent {
		return
	}
	d.version = ev.Version
	if ev.Type != record.TypeAlert || len(ev.Plaintext) != 2 {
		return
	}
	alert := record.Alert{Level: record.AlertLevel(ev.Plaintext[0]), Description: record.AlertDescription(ev.Plaintext[1])}
	d.m.mu.Lock()
	d.alerts = append(d.alerts, alert)
	d.m.mu.Unlock()
	// The record layer skips warnings, so forward them from here.
	if alert.Level == record.AlertLevelWarning && alert.Description != record.AlertCloseNotify {
		_ = d.to.SendAlert(alert.Description)
	}
}

func (d *mitmDir) run() {
	err := d.loop()
	var alertErr *record.AlertError
	switch {
	case errors.As(err, &alertErr) && alertErr.Remote:
		// A fatal alert from the sender: pass it on, then check the sender
		// also hung up, as it must.
		_ = d.to.SendAlert(alertErr.Description)
		_ = d.fromRaw.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, rawErr := io.Copy(io.Discard, d.fromRaw)
		d.closedAfterAlert = rawErr == nil || errors.Is(rawErr, net.ErrClosed) || strings.Contains(rawErr.Error(), "reset")
	case errors.Is(err, io.EOF) && !d.dropRest:
		_ = d.to.SendAlert(record.AlertCloseNotify)
	}
	if tcp, ok := d.toRaw.Conn.(*net.TCPConn); ok {
		_ = tcp.CloseWrite()
	}
	d.m.mu.Lock()
	d.err = err
	d.m.mu.Unlock()
	close(d.done)
}

func (d *mitmDir) loop() error {
	for {
		typ, data, err := d.from.ReadMessage()
		if err != nil {
			return err
		}
		data = bytes.Clone(data)
		key := int(typ) << 8
		if typ == record.TypeHandshake {
			key |= int(data[0])
			d.m.note(data)
		}
		d.counts[key]++
		msg := mitmMsg{typ: typ, data: data, nth: d.counts[key]}
		d.to.SetWriteVersion(d.version)

		if d.dropRest {
			if typ == record.TypeChangeCipherSpec {
				if err := d.switchRead(); err != nil {
					return err
				}
			}
			continue
		}
		if d.hook != nil && d.hook(d, msg) {
			continue
		}
		if err := d.forward(msg); err != nil {
			return err
		}
	}
}

// forward passes m on unchanged (re-sealed under the receiver's keys).
func (d *mitmDir) forward(m mitmMsg) error {
	if m.typ == record.TypeChangeCipherSpec {
		if err := d.switchRead(); err != nil {
			return err
		}
		return d.switchWrite()
	}
	return d.send(m.typ, m.data)
}

// send writes data as records of type typ to the receiver.
func (d *mitmDir) send(typ record.ContentType, data []byte) error {
	_, err := d.to.WriteRecord(typ, data)
	return err
}

// sendCorrupted writes data as one record, then lets damage change the
// whole sealed record (header included) before it reaches the receiver.
func (d *mitmDir) sendCorrupted(typ record.ContentType, data []byte, damage func([]byte) []byte) error {
	d.toRaw.next = damage
	return d.send(typ, data)
}

// sendRaw writes bytes no record layer would produce.
func (d *mitmDir) sendRaw(b []byte) error {
	_, err := d.toRaw.Conn.Write(b)
	return err
}

// switchRead installs the sender's new keys on the reading side, after the
// sender's ChangeCipherSpec.
func (d *mitmDir) switchRead() error {
	p, err := d.m.protection(d.fromClient)
	if err != nil {
		return err
	}
	d.from.SetReadPending(p)
	return d.from.ChangeReadCipherSpec()
}

// switchWrite sends ChangeCipherSpec to the receiver and starts sealing
// with the sender's keys.
func (d *mitmDir) switchWrite() error {
	p, err := d.m.protection(d.fromClient)
	if err != nil {
		return err
	}
	d.to.SetWritePending(p)
	return d.to.ChangeWriteCipherSpec()
}

// note remembers the hellos, which the key schedule needs.
func (m *mitm) note(data []byte) {
	msg, err := wire.Parse(data, 0)
	if err != nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch msg := msg.(type) {
	case *wire.ClientHello:
		if m.clientHello == nil {
			m.clientHello = msg
		}
	case *wire.ServerHello:
		if m.serverHello == nil {
			m.serverHello = msg
		}
	}
}

// protection derives one direction's record protection (RFC 5246, 6.3)
// from the logged master secret and the hellos.
func (m *mitm) protection(fromClient bool) (cipher.Protection, error) {
	select {
	case <-m.keysReady:
	case <-time.After(10 * time.Second):
		return nil, errors.New("mitm: the honest peer never logged its master secret")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.clientHello == nil || m.serverHello == nil {
		return nil, errors.New("mitm: keys without both hellos")
	}
	suite, ok := cipher.SuiteByID(m.serverHello.CipherSuite)
	if !ok {
		return nil, errors.New("mitm: unknown suite")
	}
	kb := prf.KeysFromMasterSecret(suite.PRFHash, m.masterSecret, m.clientHello.Random, m.serverHello.Random,
		suite.MACLen, suite.KeyLen, suite.FixedIVLen)
	keys := cipher.Keys{MACKey: kb.ServerMACKey, Key: kb.ServerWriteKey, IV: kb.ServerIV}
	if fromClient {
		keys = cipher.Keys{MACKey: kb.ClientMACKey, Key: kb.ClientWriteKey, IV: kb.ClientIV}
	}
	return suite.NewProtection(keys, m.serverHello.EncryptThenMAC, rand.Reader)
}

// hellos returns the two randoms once both hellos passed.
func (m *mitm) randoms() (clientRandom, serverRandom []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.clientHello.Random, m.serverHello.Random
}

// alertsFrom returns the alerts the client (or the server) sent.
func (m *mitm) alertsFrom(client bool) []record.Alert {
	m.mu.Lock()
	defer m.mu.Unlock()
	if client {
		return m.c2s.alerts
	}
	return m.s2c.alerts
}

// ---- hook helpers ----

// replaceMessage swaps the nth handshake message of type hsType for what
// rewrite returns (nil drops it).
func replaceMessage(hsType uint8, nth int, rewrite func(d *mitmDir, msg []byte) []byte) mitmHook {
	return func(d *mitmDir, m mitmMsg) bool {
		if !m.is(hsType, nth) {
			return false
		}
		if out := rewrite(d, m.data); out != nil {
			_ = d.send(record.TypeHandshake, out)
		}
		return true
	}
}

// beforeMessage runs inject just before the nth handshake message of type
// hsType (or the first message of content type typ when hsType < 0), then
// forwards the message unless drop.
func beforeMessage(typ record.ContentType, hsType int, inject func(d *mitmDir), drop bool) mitmHook {
	return func(d *mitmDir, m mitmMsg) bool {
		if m.typ != typ || m.nth != 1 || (hsType >= 0 && int(m.data[0]) != hsType) {
			return false
		}
		inject(d)
		if drop {
			d.dropRest = true
		}
		return drop
	}
}

// reframe rewrites the body of a handshake message and fixes its length.
func reframe(msg []byte, body []byte) []byte {
	n := len(body)
	return append([]byte{msg[0], byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// rawRecord builds a record by hand.
func rawRecord(typ record.ContentType, version uint16, fragment []byte) []byte {
	return append([]byte{byte(typ), byte(version >> 8), byte(version), byte(len(fragment) >> 8), byte(len(fragment))}, fragment...)
}

// mustMarshal marshals a message built in a test.
func mustMarshal(t testing.TB, msg wire.Message) []byte {
	data, err := msg.Marshal()
	require.NoError(t, err)
	return data
}
