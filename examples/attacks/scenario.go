package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// demoTimeout bounds every connection a demo makes, so that a demo that
// goes wrong fails instead of hanging.
const demoTimeout = 10 * time.Second

// pki is the checked-in test PKI of testdata/ (see testdata/README.md).
type pki struct {
	dir   string
	roots *x509verify.Pool // the client trusts only testdata/ca.pem
}

// findTestdata looks for the module's testdata directory from the working
// directory upwards, so the program runs from the module root or from its
// own directory (as go test does).
func findTestdata() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "testdata", "ca.pem")); err == nil {
			return filepath.Join(dir, "testdata"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testdata/ca.pem not found here or above; run from the glasstls module or pass -testdata")
		}
		dir = parent
	}
}

func loadPKI(dir string) (*pki, error) {
	data, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, err
	}
	roots := x509verify.NewPool()
	if !roots.AppendPEM(data) {
		return nil, fmt.Errorf("%s/ca.pem: no certificate", dir)
	}
	return &pki{dir: dir, roots: roots}, nil
}

// certificate loads testdata/NAME.pem and NAME-key.pem.
func (p *pki) certificate(name string) (handshake.Certificate, error) {
	return handshake.LoadX509KeyPair(filepath.Join(p.dir, name+".pem"), filepath.Join(p.dir, name+"-key.pem"))
}

// clientConfig is an honest client: it trusts the test root and wants to
// talk to "localhost".
func (p *pki) clientConfig() *handshake.Config {
	return &handshake.Config{RootCAs: p.roots, ServerName: "localhost", HandshakeTimeout: demoTimeout}
}

// serverConfig is a server presenting the named certificate.
func (p *pki) serverConfig(certName string) (*handshake.Config, error) {
	cert, err := p.certificate(certName)
	if err != nil {
		return nil, err
	}
	return &handshake.Config{Certificates: []handshake.Certificate{cert}, HandshakeTimeout: demoTimeout}, nil
}

// scenario is one connection: client -> attacker -> server, all on
// loopback in this process.
type scenario struct {
	client, server *handshake.Config
	attacker       *mitm
	// clientApp and serverApp, if set, run after a successful handshake:
	// the application traffic the attacker goes after.
	clientApp, serverApp func(*handshake.Conn) error
	// rawClient, if set, replaces the glasstls client: the attacker itself
	// speaks to the server, by hand.
	rawClient func(net.Conn) error
}

// outcome is how a scenario ended: the first error each side saw (nil if
// it saw none) and the alerts the attacker watched go by.
type outcome struct {
	clientErr, serverErr error
	alerts               []wireAlert
}

func (s *scenario) run() (*outcome, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	serverDone := make(chan error, 1)
	go func() {
		_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(demoTimeout))
		raw, err := ln.Accept()
		if err != nil {
			serverDone <- err
			return
		}
		serverDone <- runSide(handshake.Server(raw, s.server), s.serverApp)
	}()

	attacker := s.attacker
	if attacker == nil {
		attacker = &mitm{}
	}
	attackerAddr, attackerDone, err := attacker.listen(ln.Addr().String())
	if err != nil {
		return nil, err
	}
	raw, err := net.DialTimeout("tcp", attackerAddr, demoTimeout)
	if err != nil {
		return nil, err
	}
	out := &outcome{}
	if s.rawClient != nil {
		_ = raw.SetDeadline(time.Now().Add(demoTimeout))
		out.clientErr = s.rawClient(raw)
		_ = raw.Close()
	} else {
		out.clientErr = runSide(handshake.Client(raw, s.client), s.clientApp)
	}

	select {
	case out.serverErr = <-serverDone:
	case <-time.After(demoTimeout):
		return nil, errors.New("the server did not finish in time")
	}
	select {
	case <-attackerDone:
	case <-time.After(demoTimeout):
		return nil, errors.New("the attacker's relay did not finish in time")
	}
	out.alerts = attacker.seenAlerts()
	return out, nil
}

// runSide runs one side's handshake and application, then closes it.
func runSide(conn *handshake.Conn, app func(*handshake.Conn) error) error {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(demoTimeout))
	if err := conn.Handshake(); err != nil {
		return err
	}
	if app != nil {
		return app(conn)
	}
	return nil
}

// verdict is what a demo found out: which side caught the attack, with
// which error, and what the other side was told.
type verdict struct {
	// detector is "client" or "server": the side whose check fired.
	detector string
	// caught is the detector's error: a local *record.AlertError.
	caught error
	// told is the other side's error: the alert it received, if any.
	told error
	// alerts are the alerts the attacker saw on the wire.
	alerts []wireAlert
}

// verdictOf reads an outcome, given which side should have caught it.
func verdictOf(o *outcome, detector string) *verdict {
	v := &verdict{detector: detector, caught: o.serverErr, told: o.clientErr, alerts: o.alerts}
	if detector == "client" {
		v.caught, v.told = o.clientErr, o.serverErr
	}
	return v
}

// alertOf returns the alert carried by err, and whether it was received
// from the peer (remote) rather than raised here.
func alertOf(err error) (d record.AlertDescription, remote, ok bool) {
	var alertErr *record.AlertError
	if !errors.As(err, &alertErr) {
		return 0, false, false
	}
	return alertErr.Description, alertErr.Remote, true
}

// report prints how the attack ended.
func (v *verdict) report(w io.Writer, check string) {
	other := "server"
	if v.detector == "server" {
		other = "client"
	}
	if v.caught == nil {
		fmt.Fprintf(w, "  NOT CAUGHT: the %s saw no error. The attack worked.\n", v.detector)
		return
	}
	fmt.Fprintf(w, "  CAUGHT by the %s: %s\n", v.detector, check)
	fmt.Fprintf(w, "    %s's error: %v\n", v.detector, v.caught)
	if v.told != nil {
		fmt.Fprintf(w, "    %s's error: %v\n", other, v.told)
	} else {
		fmt.Fprintf(w, "    %s saw no error\n", other)
	}
	fmt.Fprintf(w, "    on the wire:  %s\n", describeAlerts(v.alerts))
}
