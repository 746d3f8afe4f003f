// Command attacks shows each defence of TLS 1.2 catching an attack in the
// act. Each subcommand runs a client, a server and a man in the middle in
// one process, on loopback, and prints what the attacker did and which
// check caught it:
//
//	go run ./examples/attacks all
//	go run ./examples/attacks tamper
//	go run ./examples/attacks insecure   # what InsecureSkipVerify gives away
//
// The attacker is ordinary code in this directory (mitm.go): it parses
// records and handshake messages and edits bytes. glasstls itself is used
// unchanged, with its defences on.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	testdata := flag.String("testdata", "", "the test PKI directory (default: testdata/ here or above)")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() != 1 {
		usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *testdata, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "attacks:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: attacks [-testdata DIR] DEMO\n\ndemos:\n")
	for _, d := range demos() {
		fmt.Fprintf(os.Stderr, "  %-14s %s\n", d.name, d.title)
	}
	fmt.Fprintf(os.Stderr, "  %-14s every demo above, in turn\n", "all")
}

// run plays the named demo (or all) and fails if an attack went uncaught.
func run(name, testdata string, out io.Writer) error {
	if testdata == "" {
		var err error
		if testdata, err = findTestdata(); err != nil {
			return err
		}
	}
	p, err := loadPKI(testdata)
	if err != nil {
		return err
	}
	w := &syncWriter{w: out}
	found := false
	for _, d := range demos() {
		if name != "all" && name != d.name {
			continue
		}
		found = true
		fmt.Fprintf(w, "\n=== %s: %s\n", d.name, d.title)
		rounds, err := d.run(p, w)
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		for _, r := range rounds {
			if msg := r.unexpected(); msg != "" {
				return fmt.Errorf("%s: %s: %s", d.name, r.name, msg)
			}
		}
	}
	if !found {
		return fmt.Errorf("no demo %q (try: all, %s)", name, strings.Join(demoNames(), ", "))
	}
	return nil
}

func demoNames() []string {
	var names []string
	for _, d := range demos() {
		names = append(names, d.name)
	}
	return names
}
