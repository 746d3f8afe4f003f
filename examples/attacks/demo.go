package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/glasstls/glasstls/record"
)

// A demo is one attack, run as one or more rounds.
type demo struct {
	name  string // the subcommand
	title string
	run   func(p *pki, w io.Writer) ([]*round, error)
}

// demos lists every attack, in the order "all" runs them.
func demos() []demo {
	return []demo{
		{"tamper", "a tampered application-data record", demoTamper},
		{"downgrade", "a cipher-suite downgrade", demoDowngrade},
		{"rollback", "an RSA pre-master secret with a rolled-back version", demoRollback},
		{"forged", "a forged certificate", demoForged},
		{"tampered-cert", "a tampered certificate", demoTamperedCert},
		{"expired", "an expired certificate", demoExpired},
		{"wrong-host", "a certificate for the wrong host", demoWrongHost},
		{"insecure", "a client that skips verification (InsecureSkipVerify)", demoInsecure},
	}
}

// round is one connection of a demo and what it is expected to show.
type round struct {
	// name says what the attacker tries in this round.
	name string
	// check names the defence expected to fire, and where it lives.
	check string
	// detector is the side whose check must fire ("client" or "server"),
	// or "" for a control round that must succeed.
	detector string
	// alert is the alert the detector must raise and send.
	alert record.AlertDescription
	// cause, if not nil, is a pointer to an error type the detector's
	// error must wrap (as for errors.As), e.g. new(*x509verify.ExpiredError).
	cause any
	// plainAlert is true when the alert leaves before the detector's
	// ChangeCipherSpec, so that the attacker can read it on the wire.
	plainAlert bool

	// verdict is filled in by running the round.
	verdict *verdict
}

// play runs s as round r, printing what happened.
func (r *round) play(w io.Writer, s *scenario) error {
	fmt.Fprintf(w, "\n-- %s\n", r.name)
	o, err := s.run()
	if err != nil {
		return err
	}
	detector := r.detector
	if detector == "" {
		detector = "server"
	}
	r.verdict = verdictOf(o, detector)
	r.report(w)
	return nil
}

func (r *round) report(w io.Writer) {
	v := r.verdict
	if r.detector == "" {
		if v.caught == nil && v.told == nil {
			fmt.Fprintf(w, "  no error on either side: %s\n", r.check)
		} else {
			fmt.Fprintf(w, "  UNEXPECTED: client: %v; server: %v\n", v.told, v.caught)
		}
		return
	}
	v.report(w, r.check)
}

// syncWriter serialises the narration: the client, the server and the
// attacker's two relays all print from their own goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// unexpected checks the round's outcome against what it should show and
// returns "" if it matches, or what went differently.
func (r *round) unexpected() string {
	v := r.verdict
	if v == nil {
		return "did not run"
	}
	if r.detector == "" {
		if v.caught != nil || v.told != nil {
			return fmt.Sprintf("the control round failed: server: %v; client: %v", v.caught, v.told)
		}
		return ""
	}
	if d, remote, ok := alertOf(v.caught); !ok || remote || d != r.alert {
		return fmt.Sprintf("the %s should have raised %v, got: %v", v.detector, r.alert, v.caught)
	}
	if d, remote, ok := alertOf(v.told); !ok || !remote || d != r.alert {
		return fmt.Sprintf("the peer should have received %v, got: %v", r.alert, v.told)
	}
	if r.cause != nil && !errors.As(v.caught, r.cause) {
		return fmt.Sprintf("the error should wrap %T: %v", r.cause, v.caught)
	}
	if r.plainAlert && !slices.Contains(v.alerts, wireAlert{dir: r.detectorDirection(), description: int(r.alert)}) {
		return fmt.Sprintf("the attacker should have seen %v go from the %s: %s", r.alert, v.detector, describeAlerts(v.alerts))
	}
	return ""
}

// detectorDirection is the direction the detector's alert travels.
func (r *round) detectorDirection() direction {
	if r.detector == "client" {
		return clientToServer
	}
	return serverToClient
}
