package record_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// FuzzReadMessage feeds arbitrary bytes as the transport. ReadMessage must
// end in an error without panicking or looping, every message it returns
// must respect the size limits, and the error must be sticky.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte{})
	f.Add(concat(tls12(record.TypeHandshake, concat(serverHello, helloDone)), tls12(record.TypeAlert, []byte{1, 0})))
	f.Add(concat(tls12(record.TypeHandshake, serverHello[:3]), tls12(record.TypeHandshake, serverHello[3:])))
	f.Add(concat(tls12(record.TypeChangeCipherSpec, ccsPayload), tls12(record.TypeApplicationData, []byte("x"))))
	f.Add(tls12(record.TypeAlert, []byte{2, 40}))
	f.Add(tls12(record.TypeHandshake, []byte{11, 0x01, 0x00, 0x01}))
	f.Add(repeat(tls12(record.TypeApplicationData, nil), 20))
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, wire []byte) {
		c := readerConn(wire)
		var err error
		// Each successful call consumes at least one byte of input or one
		// buffered message, so this bound is generous.
		for i := 0; i <= len(wire)+1; i++ {
			var typ record.ContentType
			var msg []byte
			typ, msg, err = c.ReadMessage()
			if err != nil {
				break
			}
			switch typ {
			case record.TypeHandshake:
				require.GreaterOrEqual(t, len(msg), 4)
				require.LessOrEqual(t, len(msg), 4+record.MaxHandshakeMessage)
			case record.TypeApplicationData:
				require.NotEmpty(t, msg)
				require.LessOrEqual(t, len(msg), record.MaxPlaintext)
			case record.TypeChangeCipherSpec:
				require.Equal(t, []byte{1}, msg)
			default:
				t.Fatalf("ReadMessage returned type %v", typ)
			}
		}
		require.Error(t, err, "input exhausted without an error")
		var ae *record.AlertError
		if !errors.As(err, &ae) {
			assert.True(t, err == io.EOF || err == io.ErrUnexpectedEOF, "unexpected error %v", err)
		}
		_, _, again := c.ReadMessage()
		assert.Equal(t, err, again)
	})
}

// FuzzReassembly builds a stream of handshake messages from body, cuts it
// into records at sizes taken from cuts, and checks that exactly the same
// messages come out, in order, whatever the cutting.
func FuzzReassembly(f *testing.F) {
	f.Add([]byte{0, 5, 1, 2, 3, 4, 5, 200}, []byte{1})
	f.Add(bytes.Repeat([]byte{3}, 100), []byte{2, 7, 1, 255, 4})
	f.Add([]byte{255}, []byte{})
	f.Add(bytes.Repeat([]byte{0}, 40), []byte{3})
	f.Fuzz(func(t *testing.T, body, cuts []byte) {
		// Messages: each byte of body says how long the next message's
		// body is (scaled up so some messages span many records), and the
		// bytes that follow are its content.
		// The stream is capped so that one input cannot take seconds when
		// cut into tiny records.
		var msgs [][]byte
		total := 0
		for i := 0; i < len(body) && total < 1<<17; {
			n := int(body[i]) * 97
			i++
			content := make([]byte, n)
			copy(content, body[i:])
			msgs = append(msgs, handshakeMessage(byte(len(msgs)), content))
			total += 4 + n
			i += min(n, len(body)-i)
		}
		stream := concat(msgs...)

		var wire []byte
		for k := 0; len(stream) > 0; k++ {
			n := len(stream)
			if len(cuts) > 0 {
				n = min(n, 1+int(cuts[k%len(cuts)])*int(cuts[k%len(cuts)])%record.MaxPlaintext)
			}
			n = min(n, record.MaxPlaintext)
			wire = append(wire, tls12(record.TypeHandshake, stream[:n])...)
			stream = stream[n:]
		}

		c := readerConn(wire)
		for i, want := range msgs {
			typ, got, err := c.ReadMessage()
			require.NoError(t, err, "message %d", i)
			require.Equal(t, record.TypeHandshake, typ)
			require.Equal(t, want, got, "message %d", i)
		}
		assert.False(t, c.HandshakePending())
		_, _, err := c.ReadMessage()
		assert.Equal(t, io.ErrUnexpectedEOF, err)
	})
}
