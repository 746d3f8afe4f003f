package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/glasstls/glasstls/handshake"
)

// wireOrder is the walkthrough's Tracer for both sides at once. The client
// and the server run on two goroutines, so their events arrive
// interleaved however the scheduler liked. wireOrder keeps each side's
// events in the order that side made them and, at each flush, merges the
// two in wire order: a side's events go out until it waits for a record
// the other side has not sent yet; then the other side's turn comes. The
// merge depends only on each side's own sequence, so a seeded run prints
// the same bytes every time.
type wireOrder struct {
	mu     sync.Mutex
	queue  [2][]event // index: sideClient, sideServer
	values [2]map[string][]byte

	out       handshake.Tracer
	w         io.Writer
	show      string // "client", "server" or "both"
	textMode  bool   // out is trace.Text: received copies are shortened
	hexMode   bool   // out is trace.HexDump: received copies are left out
	jsonMode  bool
	notes     func(event) []string
	summaries bool // only message headers (a connection told in brief)
}

const (
	sideClient = 0
	sideServer = 1
)

func sideIndex(client bool) int {
	if client {
		return sideClient
	}
	return sideServer
}

func sideName(i int) string {
	if i == sideClient {
		return "client"
	}
	return "server"
}

// event is one traced event: exactly one of the three is set.
type event struct {
	record  *handshake.RecordTrace
	message *handshake.MessageTrace
	value   *handshake.ValueTrace
}

func (e event) client() bool {
	switch {
	case e.record != nil:
		return e.record.Client
	case e.message != nil:
		return e.message.Client
	default:
		return e.value.Client
	}
}

func (o *wireOrder) add(e event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	i := sideIndex(e.client())
	o.queue[i] = append(o.queue[i], e)
}

func (o *wireOrder) TraceRecord(r handshake.RecordTrace)   { o.add(event{record: &r}) }
func (o *wireOrder) TraceMessage(m handshake.MessageTrace) { o.add(event{message: &m}) }
func (o *wireOrder) TraceValue(v handshake.ValueTrace)     { o.add(event{value: &v}) }

// value returns the last value of that name one side traced (nil if
// hidden or never traced).
func (o *wireOrder) value(side int, name string) []byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.values[side][name]
}

// flush merges what both sides traced since the last flush, in wire
// order, and prints it. Call it only while neither side is running.
func (o *wireOrder) flush() {
	o.mu.Lock()
	queue := o.queue
	o.queue = [2][]event{}
	o.mu.Unlock()

	var sent, received [2]int // records each side sent / read so far, this flush
	current := sideClient
	for len(queue[0]) > 0 || len(queue[1]) > 0 {
		other := 1 - current
		if len(queue[current]) == 0 {
			current = other
			continue
		}
		e := queue[current][0]
		if e.record != nil && !e.record.Sent && received[current] >= sent[other] && len(queue[other]) > 0 {
			// Waiting for a record the other side has not sent yet:
			// its turn. (A side whose peer has nothing left to say
			// goes on: that cannot happen with two glasstls sides.)
			if !o.blocked(queue[other], received[other], sent[current]) {
				current = other
				continue
			}
		}
		queue[current] = queue[current][1:]
		if e.record != nil {
			if e.record.Sent {
				sent[current]++
			} else {
				received[current]++
			}
		}
		o.emit(current, e)
	}
}

// blocked reports whether a side whose next event is queue[0] is waiting
// for a record the other side has not sent.
func (o *wireOrder) blocked(queue []event, received, otherSent int) bool {
	e := queue[0]
	return e.record != nil && !e.record.Sent && received >= otherSent
}

// emit prints one event of side i, shortened where the other side
// already showed the same bytes.
func (o *wireOrder) emit(i int, e event) {
	if e.value != nil {
		if o.values[i] == nil {
			o.values[i] = map[string][]byte{}
		}
		o.values[i][e.value.Name] = e.value.Value
	}
	if o.show != "both" && o.show != sideName(i) {
		return
	}
	both := o.show == "both"
	switch {
	case o.summaries:
		if e.message == nil {
			return
		}
		m := *e.message
		m.Fields = nil
		o.out.TraceMessage(m)
	case e.record != nil:
		if both && o.hexMode && !e.record.Sent {
			return // the sender's dump showed these bytes
		}
		r := *e.record
		if both && o.textMode && !r.Sent {
			r.Content = nil // the sender's line decoded them
		}
		o.out.TraceRecord(r)
	case e.message != nil:
		m := *e.message
		if both && o.textMode && !m.Sent {
			m.Fields = nil // the sender's trace decoded them
		}
		o.out.TraceMessage(m)
	case e.value != nil:
		peer := o.values[1-i][e.value.Name]
		if both && o.textMode && e.value.Value != nil && peer != nil && bytes.Equal(peer, e.value.Value) {
			value := e.value.Value.String()
			if value == "" {
				value = "(empty)"
			}
			fmt.Fprintf(o.w, "[%s] %s = %s   (the same as the %s's)\n", sideName(i), e.value.Name, value, sideName(1-i))
		} else {
			o.out.TraceValue(*e.value)
		}
	}
	if o.notes != nil && !o.summaries {
		for _, note := range o.notes(e) {
			o.note(i, note)
		}
	}
}

// note prints a line of narration from one side's point of view.
func (o *wireOrder) note(i int, text string) {
	switch {
	case o.jsonMode:
		_ = json.NewEncoder(o.w).Encode(map[string]string{"event": "note", "side": sideName(i), "text": text})
	case o.hexMode:
		// The hex dump is bytes only.
	default:
		fmt.Fprintf(o.w, "[%s] ** %s\n", sideName(i), text)
	}
}
