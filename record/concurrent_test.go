package record_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// TestFullDuplexOverPipe runs both directions of two Conns at once over
// net.Pipe: each side reads in one goroutine while writing in another, which
// the race detector checks is safe (the halves share no mutable state).
func TestFullDuplexOverPipe(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	left := record.NewConn(a, a)
	right := record.NewConn(b, b)
	for _, c := range []*record.Conn{left, right} {
		c.SetWriteVersion(record.VersionTLS12)
		c.SetReadVersion(record.VersionTLS12)
	}

	const rounds = 20
	payload := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 1000+i*997) }

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	// On any failure both pipe ends are closed, so that no goroutine stays
	// blocked on a peer that gave up.
	report := func(err error) {
		if err != nil {
			a.Close()
			b.Close()
		}
		errs <- err
	}
	send := func(c *record.Conn) {
		defer wg.Done()
		c.SetWritePending(newGCM(t))
		if err := c.ChangeWriteCipherSpec(); err != nil {
			report(err)
			return
		}
		for i := 0; i < rounds; i++ {
			if _, err := c.WriteRecord(record.TypeApplicationData, payload(i)); err != nil {
				report(err)
				return
			}
		}
		report(c.SendAlert(record.AlertCloseNotify))
	}
	receive := func(c *record.Conn, got *[]byte) {
		defer wg.Done()
		typ, _, err := c.ReadMessage()
		if err != nil || typ != record.TypeChangeCipherSpec {
			report(fmt.Errorf("want change_cipher_spec, got %v, %v", typ, err))
			return
		}
		c.SetReadPending(newGCM(t))
		if err := c.ChangeReadCipherSpec(); err != nil {
			report(err)
			return
		}
		for {
			_, msg, err := c.ReadMessage()
			if err == io.EOF {
				report(nil)
				return
			}
			if err != nil {
				report(err)
				return
			}
			*got = append(*got, msg...)
		}
	}
	var gotLeft, gotRight []byte
	wg.Add(4)
	go send(left)
	go send(right)
	go receive(left, &gotLeft)
	go receive(right, &gotRight)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var want []byte
	for i := 0; i < rounds; i++ {
		want = append(want, payload(i)...)
	}
	assert.Equal(t, want, gotLeft)
	assert.Equal(t, want, gotRight)
}
