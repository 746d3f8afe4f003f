package trace_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/trace"
	"github.com/glasstls/glasstls/x509verify"
)

// A Text tracer narrates a handshake as it happens: every message with its
// fields, every derived value with its formula and RFC section. Here only
// the client's message lines are kept (their sizes cut, since signatures
// vary in length); run examples/walkthrough for the whole story.
func ExampleNewText() {
	cert, err := handshake.LoadX509KeyPair("../../testdata/server-ecdsa.pem", "../../testdata/server-ecdsa-key.pem")
	if err != nil {
		panic(err)
	}
	caPEM, err := os.ReadFile("../../testdata/ca.pem")
	if err != nil {
		panic(err)
	}
	roots := x509verify.NewPool()
	roots.AppendPEM(caPEM)

	var narration bytes.Buffer
	tracer := trace.NewText(&narration)
	tracer.Records = false // messages and values only

	clientEnd, serverEnd := net.Pipe()
	server := handshake.Server(serverEnd, &handshake.Config{Certificates: []handshake.Certificate{cert}})
	go server.Handshake()
	client := handshake.Client(clientEnd, &handshake.Config{RootCAs: roots, ServerName: "localhost", Trace: tracer})
	if err := client.Handshake(); err != nil {
		panic(err)
	}

	size := regexp.MustCompile(` \(\d+ bytes\)$`)
	clock := regexp.MustCompile(`at \S+ \S+ UTC`) // the real clock: Config.Time is not set
	scanner := bufio.NewScanner(&narration)
	for scanner.Scan() {
		line := scanner.Text()
		if strings.HasPrefix(line, "[client] ") && !strings.Contains(line, " = ") {
			fmt.Println(clock.ReplaceAllString(size.ReplaceAllString(line, ""), "at NOW"))
		}
	}
	// Output:
	// [client] client -> server ClientHello
	// [client] server -> client ServerHello
	// [client] server -> client Certificate
	// [client] the server's certificate chain (1 in Certificate), checked at NOW for serverAuth: verified
	// [client] server -> client ServerKeyExchange
	// [client] server -> client ServerHelloDone
	// [client] client -> server ClientKeyExchange
	// [client] client -> server Finished
	// [client] server -> client Finished
}
