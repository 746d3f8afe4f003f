// Command primer shows, one small runnable demo each, the cryptography a
// TLS tutorial explains before TLS itself: digests, HMAC, symmetric
// encryption, RSA encryption, signatures, Diffie-Hellman, and a
// certificate chain checked step by step. Each demo says where glasstls
// uses the idea.
//
//	go run ./examples/primer all
//	go run ./examples/primer digest
//
// Every demo checks its own claim and fails if it does not hold, so its
// test (primer_test.go) is the same run.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// A demo is one subcommand.
type demo struct {
	name, title string
	run         func(w io.Writer) error
}

func demos() []demo {
	return []demo{
		{"digest", "a digest: same input, same digest; one bit changes half of it", demoDigest},
		{"hmac", "HMAC: a digest only the key holder can make", demoHMAC},
		{"aes-gcm", "symmetric encryption with AES-GCM, and a flipped ciphertext byte", demoAESGCM},
		{"rsa", "RSA encryption: anyone encrypts, only the key holder decrypts", demoRSA},
		{"signature", "signatures: sign, verify, tamper; and why \"encrypting with the private key\" is only a picture", demoSignature},
		{"dh", "Diffie-Hellman and ECDH: a shared secret that never crosses the wire", demoDH},
		{"chain", "a certificate chain built and checked step by step", demoChain},
	}
}

func main() {
	if len(os.Args) != 2 {
		usage()
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "primer:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: primer DEMO\n\ndemos:\n")
	for _, d := range demos() {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", d.name, d.title)
	}
	fmt.Fprintf(os.Stderr, "  %-10s every demo above, in turn\n", "all")
}

// run plays the named demo, or all of them.
func run(name string, w io.Writer) error {
	found := false
	for _, d := range demos() {
		if name != "all" && name != d.name {
			continue
		}
		found = true
		fmt.Fprintf(w, "\n=== %s: %s\n\n", d.name, d.title)
		if err := d.run(w); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
	}
	if !found {
		var names []string
		for _, d := range demos() {
			names = append(names, d.name)
		}
		return fmt.Errorf("no demo %q (try: all, %s)", name, strings.Join(names, ", "))
	}
	return nil
}
