package record_test

import (
	"bytes"
	"fmt"

	"github.com/glasstls/glasstls/record"
)

// A record on the wire: type, version, length, fragment (RFC 5246, 6.2.1).
// Before ChangeCipherSpec the fragment is the plaintext itself.
func ExampleConn_WriteRecord() {
	var wire bytes.Buffer
	c := record.NewConn(nil, &wire)
	c.SetWriteVersion(record.VersionTLS12)
	c.SetObserver(func(e record.RecordEvent) {
		fmt.Printf("sent %v seq=%d % x\n", e.Type, e.Seq, e.Wire)
	})
	// A ServerHelloDone: msg_type 14, empty body.
	if _, err := c.WriteRecord(record.TypeHandshake, []byte{14, 0, 0, 0}); err != nil {
		panic(err)
	}
	if err := c.SendAlert(record.AlertHandshakeFailure); err != nil {
		panic(err)
	}
	// Output:
	// sent handshake seq=0 16 03 03 00 04 0e 00 00 00
	// sent alert seq=1 15 03 03 00 02 02 28
}

// ReadMessage hides records: here one handshake message arrives in three
// records, followed by the peer's close_notify.
func ExampleConn_ReadMessage() {
	wire := []byte{
		22, 3, 3, 0, 2, 14, 0, // ServerHelloDone, split...
		22, 3, 3, 0, 1, 0,
		22, 3, 3, 0, 1, 0, // ...over three records
		21, 3, 3, 0, 2, 1, 0, // warning close_notify
	}
	c := record.NewConn(bytes.NewReader(wire), nil)
	for {
		typ, msg, err := c.ReadMessage()
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Printf("%v % x\n", typ, msg)
	}
	// Output:
	// handshake 0e 00 00 00
	// error: EOF
}
