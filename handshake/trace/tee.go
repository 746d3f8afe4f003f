package trace

import "github.com/glasstls/glasstls/handshake"

// Tee passes every event to each of its tracers in turn (certificate
// verifications to those that are VerificationTracers), so that one
// connection can be narrated on standard error and drawn as a Page at
// once. Nil tracers are skipped.
func Tee(tracers ...handshake.Tracer) handshake.VerificationTracer {
	var t tee
	for _, tr := range tracers {
		if tr != nil {
			t = append(t, tr)
		}
	}
	return t
}

type tee []handshake.Tracer

func (t tee) TraceRecord(r handshake.RecordTrace) {
	for _, tr := range t {
		tr.TraceRecord(r)
	}
}

func (t tee) TraceMessage(m handshake.MessageTrace) {
	for _, tr := range t {
		tr.TraceMessage(m)
	}
}

func (t tee) TraceValue(v handshake.ValueTrace) {
	for _, tr := range t {
		tr.TraceValue(v)
	}
}

func (t tee) TraceVerification(v handshake.VerificationTrace) {
	for _, tr := range t {
		if vt, ok := tr.(handshake.VerificationTracer); ok {
			vt.TraceVerification(v)
		}
	}
}
