package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// The request and the answer of the insecure demo: a password goes one
// way, payment details come back.
const (
	insecureRequest = "GET /account HTTP/1.0\r\nAuthorization: Basic YWxpY2U6aHVudGVyMg==\r\n\r\n" // alice:hunter2
	insecureAnswer  = "HTTP/1.0 200 OK\r\n\r\nbalance 100 EUR; pay your rent to IBAN DE00 ALICE LANDLORD"
	forgedAnswer    = "HTTP/1.0 200 OK\r\n\r\nbalance 100 EUR; pay your rent to IBAN DE99 MALLORY"
)

// demoInsecure answers a claim often made about unverified TLS: "it is
// still encrypted, safe enough against casual attackers". Encryption to
// an unauthenticated peer is encryption to whoever answered. A man in the
// middle that terminates TLS with its own certificate (testdata/forged.pem:
// for localhost, from a CA it made itself) and opens its own, properly
// verified, connection to the real server reads every byte and changes any
// of them, and neither side sees an error. The same attacker against a
// client that verifies (the default) is refused before a byte of the
// request leaves: path validation is what makes the encryption worth
// anything (RFC 5246, 7.4.2 and F.1.1.1; RFC 5280, 6).
func demoInsecure(p *pki, w io.Writer) ([]*round, error) {
	attackerConfig, err := p.serverConfig("forged")
	if err != nil {
		return nil, err
	}
	serverConfig, err := p.serverConfig("server-rsa")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "The attacker terminates TLS itself, with testdata/forged.pem (its own certificate for\n"+
		"localhost, from a CA it made), and connects on to the real server as an ordinary client.\n")

	insecure := &round{
		name: "the client sets InsecureSkipVerify: any certificate will do",
		check: "nothing checks who the peer is: both connections are encrypted, and the attacker is " +
			"the other end of each",
	}
	fmt.Fprintf(w, "\n-- %s\n", insecure.name)
	client := p.clientConfig()
	client.InsecureSkipVerify = true
	got, v, err := relayThroughAttacker(w, client, attackerConfig, serverConfig, p.clientConfig())
	if err != nil {
		return nil, err
	}
	insecure.verdict = v
	if v.caught == nil && v.told == nil {
		fmt.Fprintf(w, "  client got:     %q\n", got)
		fmt.Fprintf(w, "  THE ATTACK WORKED, and no side saw an error: %s.\n", insecure.check)
		if got != forgedAnswer {
			return nil, fmt.Errorf("the client got %q, not the attacker's answer", got)
		}
	} else {
		fmt.Fprintf(w, "  UNEXPECTED: client: %v; server: %v\n", v.told, v.caught)
	}

	verified := &round{
		name: "the same attacker, and a client that verifies (InsecureSkipVerify false, the default)",
		check: "path validation: the attacker's CA is not the trusted root, whatever its name " +
			"(x509verify.UnknownAuthorityError); the request is never sent",
		detector:   "client",
		alert:      record.AlertUnknownCA,
		cause:      new(*x509verify.UnknownAuthorityError),
		plainAlert: true,
	}
	sent := false
	err = verified.play(w, &scenario{client: p.clientConfig(), server: attackerConfig,
		clientApp: func(c *handshake.Conn) error {
			sent = true
			_, err := c.Write([]byte(insecureRequest))
			return err
		}})
	if err != nil {
		return nil, err
	}
	if sent {
		return nil, errors.New("the verifying client sent its request to the attacker")
	}
	return []*round{insecure, verified}, nil
}

// relayThroughAttacker runs client -> attacker -> server: the attacker
// is a TLS server to the client (attackerConfig) and a TLS client to the
// server (attackerClient), reading and rewriting the plaintext between.
// It returns what the client received and how each side ended.
func relayThroughAttacker(w io.Writer, client, attackerConfig, server, attackerClient *handshake.Config) (string, *verdict, error) {
	serverLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	defer serverLn.Close()
	attackerLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	defer attackerLn.Close()

	// The real server answers one request.
	serverDone := make(chan error, 1)
	go func() {
		raw, err := acceptOne(serverLn)
		if err != nil {
			serverDone <- err
			return
		}
		serverDone <- runSide(handshake.Server(raw, server), func(c *handshake.Conn) error {
			if _, err := io.ReadFull(c, make([]byte, len(insecureRequest))); err != nil {
				return err
			}
			_, err := c.Write([]byte(insecureAnswer))
			return err
		})
	}()

	// The attacker: TLS server to the client, TLS client to the server.
	attackerDone := make(chan error, 1)
	go func() {
		raw, err := acceptOne(attackerLn)
		if err != nil {
			attackerDone <- err
			return
		}
		attackerDone <- runSide(handshake.Server(raw, attackerConfig), func(victim *handshake.Conn) error {
			request := make([]byte, len(insecureRequest))
			if _, err := io.ReadFull(victim, request); err != nil {
				return err
			}
			fmt.Fprintf(w, "  attacker reads: %q\n", request)
			fmt.Fprintf(w, "                  (base64 of alice:hunter2: the password, in the attacker's hands)\n")
			upstreamRaw, err := net.DialTimeout("tcp", serverLn.Addr().String(), demoTimeout)
			if err != nil {
				return err
			}
			var answer bytes.Buffer
			err = runSide(handshake.Client(upstreamRaw, attackerClient), func(upstream *handshake.Conn) error {
				if _, err := upstream.Write(request); err != nil {
					return err
				}
				_, err := io.Copy(&answer, upstream)
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  server answers: %q\n", answer.String())
			changed := bytes.Replace(answer.Bytes(), []byte("DE00 ALICE LANDLORD"), []byte("DE99 MALLORY"), 1)
			fmt.Fprintf(w, "  attacker sends: %q\n", changed)
			_, err = victim.Write(changed)
			return err
		})
	}()

	raw, err := net.DialTimeout("tcp", attackerLn.Addr().String(), demoTimeout)
	if err != nil {
		return "", nil, err
	}
	var got bytes.Buffer
	clientErr := runSide(handshake.Client(raw, client), func(c *handshake.Conn) error {
		if _, err := c.Write([]byte(insecureRequest)); err != nil {
			return err
		}
		_, err := io.Copy(&got, c)
		return err
	})
	// The client is the side that should have noticed; told is the first
	// error of the attacker or the server.
	v := &verdict{detector: "client", caught: clientErr}
	for _, done := range []chan error{attackerDone, serverDone} {
		select {
		case err := <-done:
			if v.told == nil {
				v.told = err
			}
		case <-time.After(demoTimeout):
			return "", nil, errors.New("the relay did not finish in time")
		}
	}
	return got.String(), v, nil
}

// acceptOne accepts one connection within demoTimeout.
func acceptOne(ln net.Listener) (net.Conn, error) {
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(demoTimeout))
	return ln.Accept()
}
