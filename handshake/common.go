package handshake

import (
	"encoding/hex"
	"io"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/prf"
	"github.com/glasstls/glasstls/record"
)

// readHandshakeMessage reads and parses the next handshake message, adding
// it to the transcript. A ChangeCipherSpec or application data where a
// handshake message belongs is unexpected_message (RFC 5246, 7.3).
func (c *Conn) readHandshakeMessage(t *transcript) (wire.Message, error) {
	if msg := c.unread; msg != nil {
		c.unread = nil
		return msg, nil
	}
	for ignored := 0; ; ignored++ {
		typ, data, err := c.rec.ReadMessage()
		if err != nil {
			return nil, err
		}
		if typ != record.TypeHandshake {
			return nil, record.Errorf(record.AlertUnexpectedMessage, "expected a handshake message, got %v", typ)
		}
		msg, err := wire.Parse(data, c.keyExchange)
		if err != nil {
			return nil, err
		}
		c.traceMessage(false, data)
		if skip, err := c.ignoreHelloRequest(msg, ignored); skip || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		t.add(data)
		return msg, nil
	}
}

// ignoreHelloRequest reports whether msg, read while the handshake waits
// for something else, is a HelloRequest for the client to skip. RFC 5246,
// 7.4.1.1: it "will be ignored by the client if the client is currently
// negotiating a session", and it is never part of the transcript. ignored
// counts those already skipped in this wait: a bounded number
// (record.MaxEmptyRecords), then unexpected_message, so a server cannot
// spin us.
func (c *Conn) ignoreHelloRequest(msg wire.Message, ignored int) (bool, error) {
	if _, ok := msg.(*wire.HelloRequest); !ok || !c.isClient {
		return false, nil
	}
	if ignored >= record.MaxEmptyRecords {
		return false, record.Errorf(record.AlertUnexpectedMessage, "more than %d HelloRequests during the handshake", record.MaxEmptyRecords)
	}
	return true, nil
}

// unreadHandshakeMessage hands msg back, so the next readHandshakeMessage
// returns it again (without adding it to the transcript twice). For an
// optional message: read, and if it is not the one hoped for, unread.
func (c *Conn) unreadHandshakeMessage(msg wire.Message) {
	c.unread = msg
}

// expectMessage reads the next handshake message and requires it to be an M.
// A message of any other type is unexpected_message, and the error names
// both the message the state machine wanted and the one that came.
func expectMessage[M wire.Message](c *Conn, t *transcript, want string) (M, error) {
	var zero M
	msg, err := c.readHandshakeMessage(t)
	if err != nil {
		return zero, err
	}
	m, ok := msg.(M)
	if !ok {
		return zero, unexpectedMessage(want, msg)
	}
	return m, nil
}

func unexpectedMessage(want string, got wire.Message) error {
	return record.Errorf(record.AlertUnexpectedMessage, "expected %s, got %s", want, nameOf(got))
}

// nameOf names a parsed message for errors and traces.
func nameOf(msg wire.Message) string {
	return wire.MessageName(msg.Type())
}

// writeHandshakeMessage marshals msg, adds it to the transcript and hands it
// to the record layer (which may hold it until the flight is flushed).
func (c *Conn) writeHandshakeMessage(t *transcript, msg wire.Message) error {
	data, err := msg.Marshal()
	if err != nil {
		return record.Errorf(record.AlertInternalError, "marshal %s: %w", nameOf(msg), err)
	}
	t.add(data)
	c.traceMessage(true, data)
	_, err = c.rec.WriteRecord(record.TypeHandshake, data)
	return err
}

// readChangeCipherSpec waits for the peer's ChangeCipherSpec and switches the
// read side to the pending keys (RFC 5246, 7.1). Anything else is
// unexpected_message: in particular a Finished before ChangeCipherSpec.
// A client skips a HelloRequest here too, as readHandshakeMessage does.
func (c *Conn) readChangeCipherSpec() error {
	for ignored := 0; ; ignored++ {
		typ, data, err := c.rec.ReadMessage()
		if err != nil {
			return err
		}
		if typ == record.TypeHandshake && c.isClient && data[0] == wire.TypeHelloRequest {
			msg, err := wire.Parse(data, c.keyExchange)
			if err != nil {
				return err
			}
			c.traceMessage(false, data)
			skip, err := c.ignoreHelloRequest(msg, ignored)
			if err != nil {
				return err
			}
			if skip {
				continue
			}
		}
		if typ != record.TypeChangeCipherSpec {
			got := typ.String()
			if typ == record.TypeHandshake && len(data) > 0 {
				got = wire.MessageName(data[0])
			}
			return record.Errorf(record.AlertUnexpectedMessage, "expected ChangeCipherSpec, got %s", got)
		}
		return c.rec.ChangeReadCipherSpec()
	}
}

// establishKeys expands the master secret into the key block (RFC 5246, 6.3)
// and installs each direction's protection as pending, to be switched on by
// the ChangeCipherSpec in that direction.
func (c *Conn) establishKeys(suite *cipher.Suite, masterSecret, clientRandom, serverRandom []byte, encryptThenMAC bool) error {
	keyBlock := prf.KeysFromMasterSecret(suite.PRFHash, masterSecret, clientRandom, serverRandom,
		suite.MACLen, suite.KeyLen, suite.FixedIVLen)
	c.traceKeyBlock(suite, keyBlock, encryptThenMAC)
	// The same inputs also feed the RFC 5705 exporter after the handshake.
	c.exporter = exporterInputs{prfHash: suite.PRFHash, masterSecret: masterSecret, clientRandom: clientRandom, serverRandom: serverRandom}
	clientKeys := cipher.Keys{MACKey: keyBlock.ClientMACKey, Key: keyBlock.ClientWriteKey, IV: keyBlock.ClientIV}
	serverKeys := cipher.Keys{MACKey: keyBlock.ServerMACKey, Key: keyBlock.ServerWriteKey, IV: keyBlock.ServerIV}

	clientProtection, err := suite.NewProtection(clientKeys, encryptThenMAC, c.config.rand())
	if err != nil {
		return record.Errorf(record.AlertInternalError, "client keys: %w", err)
	}
	serverProtection, err := suite.NewProtection(serverKeys, encryptThenMAC, c.config.rand())
	if err != nil {
		return record.Errorf(record.AlertInternalError, "server keys: %w", err)
	}
	if c.isClient {
		c.rec.SetWritePending(clientProtection)
		c.rec.SetReadPending(serverProtection)
	} else {
		c.rec.SetWritePending(serverProtection)
		c.rec.SetReadPending(clientProtection)
	}
	return nil
}

// Which side's Finished a verify_data is for: the two use different
// finished_label strings (RFC 5246, 7.4.9), "client finished" and
// "server finished".
const (
	clientFinished = true
	serverFinished = false
)

// finishedVerifyData is Finished.verify_data for one side (RFC 5246, 7.4.9),
// over the transcript as it stands now.
func finishedVerifyData(suite *cipher.Suite, masterSecret []byte, fromClient bool, t *transcript) []byte {
	return prf.VerifyData(suite.PRFHash, masterSecret, fromClient, t.sum())
}

// writeKeyLog records the master secret in the NSS key log format, which
// Wireshark reads to decrypt a capture.
func (c *Conn) writeKeyLog(clientRandom, masterSecret []byte) error {
	w := c.config.KeyLogWriter
	if w == nil {
		return nil
	}
	line := "CLIENT_RANDOM " + hex.EncodeToString(clientRandom) + " " + hex.EncodeToString(masterSecret) + "\n"
	_, err := io.WriteString(w, line)
	return err
}

// randomBytes reads n bytes from the configured source of randomness.
func (c *Conn) randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(c.config.rand(), b); err != nil {
		return nil, record.Errorf(record.AlertInternalError, "reading random bytes: %w", err)
	}
	return b, nil
}
