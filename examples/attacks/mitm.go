package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/glasstls/glasstls/record"
)

// Record content types (RFC 5246, 6.2.1) and handshake types (7.4) the
// attacker needs to recognise. The attacker is not glasstls: it is a few
// lines of byte handling, which is all a man in the middle ever needs.
const (
	typeChangeCipherSpec = 20
	typeAlert            = 21
	typeHandshake        = 22
	typeApplicationData  = 23

	handshakeClientHello = 1
	handshakeCertificate = 11

	recordHeaderLen    = 5     // type(1) version(2) length(2), RFC 5246, 6.2.1
	handshakeHeaderLen = 4     // msg_type(1) length(3), RFC 5246, 7.4
	maxRecordLen       = 18432 // 2^14 + 2048, RFC 5246, 6.2.3
	maxHandshakeLen    = 1 << 20
)

// direction says which way a record travels through the attacker.
type direction int

const (
	clientToServer direction = iota
	serverToClient
)

func (d direction) String() string {
	if d == clientToServer {
		return "client -> server"
	}
	return "server -> client"
}

// wireAlert is an alert record the attacker saw go past.
type wireAlert struct {
	dir direction
	// description is the alert's description byte, or -1 when the alert was
	// encrypted (sent after ChangeCipherSpec): the attacker then sees only
	// that an alert went by, not which.
	description int
}

// mitm is a man in the middle on loopback: it accepts the client's TCP
// connection, dials the real server, and relays records both ways. Before
// a direction's ChangeCipherSpec its handshake messages are plaintext, and
// editHandshake may rewrite them; after it, editRecord may change the
// (encrypted) records. Neither hook can forge what the keys protect: that
// is what the demos show.
type mitm struct {
	// editHandshake, if set, sees every plaintext handshake message (header
	// included) and returns what to send on instead.
	editHandshake func(dir direction, msg []byte) []byte
	// editRecord, if set, sees every record after that direction's
	// ChangeCipherSpec (header included) and returns what to send on.
	editRecord func(dir direction, record []byte) []byte

	mu     sync.Mutex
	alerts []wireAlert
}

// listen starts the attacker on a loopback port that forwards to
// serverAddr. It handles one connection, then stops listening; done is
// closed once both directions have ended.
func (m *mitm) listen(serverAddr string) (addr string, done <-chan struct{}, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer ln.Close()
		_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(demoTimeout))
		clientSide, err := ln.Accept()
		if err != nil {
			return
		}
		defer clientSide.Close()
		serverSide, err := net.DialTimeout("tcp", serverAddr, demoTimeout)
		if err != nil {
			return
		}
		defer serverSide.Close()
		deadline := time.Now().Add(demoTimeout)
		_ = clientSide.SetDeadline(deadline)
		_ = serverSide.SetDeadline(deadline)

		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); m.relay(clientToServer, clientSide, serverSide) }()
		go func() { defer wg.Done(); m.relay(serverToClient, serverSide, clientSide) }()
		wg.Wait()
	}()
	return ln.Addr().String(), finished, nil
}

// relay copies records from src to dst, record by record, applying the
// hooks. When src ends it half-closes dst, so that an alert still in
// flight the other way is delivered rather than lost to a reset.
func (m *mitm) relay(dir direction, src, dst net.Conn) {
	defer func() { _ = dst.(*net.TCPConn).CloseWrite() }()
	var pending []byte // handshake bytes not yet a whole message
	encrypted := false
	for {
		record, err := readRecord(src)
		if err != nil {
			return
		}
		typ, body := record[0], record[recordHeaderLen:]
		switch {
		case typ == typeAlert:
			m.noteAlert(dir, encrypted, body)
		case typ == typeChangeCipherSpec:
			encrypted = true // everything after it in this direction is protected
		case typ == typeHandshake && !encrypted && m.editHandshake != nil:
			// Reassemble messages (RFC 5246, 6.2.1 lets them span and share
			// records), edit each, and send each in a record of its own.
			pending = append(pending, body...)
			var out []byte
			for len(pending) >= handshakeHeaderLen {
				n := handshakeHeaderLen + (int(pending[1])<<16 | int(pending[2])<<8 | int(pending[3]))
				if n > maxHandshakeLen {
					return // not worth buffering: drop the connection
				}
				if len(pending) < n {
					break
				}
				msg := m.editHandshake(dir, append([]byte(nil), pending[:n]...))
				pending = pending[n:]
				out = append(out, frame(typeHandshake, record[1:3], msg)...)
			}
			if _, err := dst.Write(out); err != nil {
				return
			}
			continue
		}
		if encrypted && m.editRecord != nil {
			record = m.editRecord(dir, record)
		}
		if _, err := dst.Write(record); err != nil {
			return
		}
	}
}

func (m *mitm) noteAlert(dir direction, encrypted bool, body []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if encrypted || len(body) != 2 {
		m.alerts = append(m.alerts, wireAlert{dir: dir, description: -1})
		return
	}
	m.alerts = append(m.alerts, wireAlert{dir: dir, description: int(body[1])})
}

// seenAlerts returns the alerts that went past so far.
func (m *mitm) seenAlerts() []wireAlert {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]wireAlert(nil), m.alerts...)
}

// readRecord reads one whole record, header included (RFC 5246, 6.2.1).
func readRecord(r io.Reader) ([]byte, error) {
	header := make([]byte, recordHeaderLen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint16(header[3:]))
	if n > maxRecordLen {
		return nil, errors.New("record too long")
	}
	record := make([]byte, recordHeaderLen+n)
	copy(record, header)
	if _, err := io.ReadFull(r, record[recordHeaderLen:]); err != nil {
		return nil, err
	}
	return record, nil
}

// frame wraps data in records of type typ, at most 2^14 bytes each.
func frame(typ byte, version []byte, data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(len(data), 1<<14)
		out = append(out, typ, version[0], version[1], byte(n>>8), byte(n))
		out = append(out, data[:n]...)
		data = data[n:]
	}
	return out
}

// describeAlerts lists the alerts the attacker saw, for the narration.
func describeAlerts(alerts []wireAlert) string {
	if len(alerts) == 0 {
		return "no alert went past"
	}
	s := ""
	for i, a := range alerts {
		if i > 0 {
			s += "; "
		}
		if a.description < 0 {
			s += fmt.Sprintf("%v: an encrypted alert (the attacker cannot read which)", a.dir)
		} else {
			s += fmt.Sprintf("%v: alert %s (%d)", a.dir, record.AlertDescription(a.description), a.description)
		}
	}
	return s
}
