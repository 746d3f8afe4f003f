package record

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzRecord frames one plaintext record.
func fuzzRecord(typ ContentType, fragment ...byte) []byte {
	return append([]byte{byte(typ), 3, 3, byte(len(fragment) >> 8), byte(len(fragment))}, fragment...)
}

// FuzzReadMessage feeds the record reader and the handshake reassembler
// arbitrary bytes. Whatever comes, ReadMessage must return only whole
// handshake messages within MaxHandshakeMessage, non-empty application data
// and a well-formed ChangeCipherSpec; end with an error in a bounded
// number of calls; and repeat that error on the next call.
func FuzzReadMessage(f *testing.F) {
	hello := []byte{1, 0, 0, 6, 3, 3, 'a', 'b', 'c', 'd'}
	f.Add(fuzzRecord(TypeHandshake, hello...))
	f.Add(append(fuzzRecord(TypeHandshake, hello[:3]...), fuzzRecord(TypeHandshake, hello[3:]...)...))
	f.Add(fuzzRecord(TypeHandshake, append(hello, hello...)...))
	f.Add(append(fuzzRecord(TypeChangeCipherSpec, 1), fuzzRecord(TypeApplicationData, 'x')...))
	f.Add(append(fuzzRecord(TypeAlert, 1, 100), fuzzRecord(TypeAlert, 2, 40)...))
	f.Add(fuzzRecord(TypeAlert, 1, 0))
	f.Add(bytes.Repeat(fuzzRecord(TypeHandshake), 20))
	f.Add([]byte{22, 3, 3, 0x48, 0x01})
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		c := NewConn(bytes.NewReader(data), io.Discard)
		var err error
		// Each successful call consumes at least one byte of input.
		for calls := 0; calls <= len(data); calls++ {
			var typ ContentType
			var msg []byte
			typ, msg, err = c.ReadMessage()
			if err != nil {
				break
			}
			switch typ {
			case TypeHandshake:
				require.GreaterOrEqual(t, len(msg), 4)
				bodyLen := int(msg[1])<<16 | int(msg[2])<<8 | int(msg[3])
				require.Equal(t, 4+bodyLen, len(msg), "a whole message")
				require.LessOrEqual(t, bodyLen, MaxHandshakeMessage)
			case TypeApplicationData:
				require.NotEmpty(t, msg)
			case TypeChangeCipherSpec:
				require.Equal(t, []byte{1}, msg)
			default:
				t.Fatalf("ReadMessage returned content type %v", typ)
			}
		}
		require.Error(t, err, "no end after %d calls on %d bytes", len(data)+1, len(data))
		_, _, again := c.ReadMessage()
		assert.Equal(t, err, again, "errors are sticky")
		var alertErr *AlertError
		if !errors.As(err, &alertErr) {
			assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF), "unexpected error %v", err)
		}
	})
}
