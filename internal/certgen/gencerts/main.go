// Command gencerts regenerates the test PKI in the repository's testdata
// directory. Run it from the module root:
//
//	go run ./internal/certgen/gencerts [-dir testdata]
//
// Every run makes new keys, so all files change together; commit them as a
// set.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/glasstls/glasstls/internal/certgen"
)

func main() {
	dir := flag.String("dir", "testdata", "directory to write the PEM files into")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gencerts:", err)
		os.Exit(1)
	}
	if err := certgen.WriteTestPKI(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gencerts:", err)
		os.Exit(1)
	}
	for _, base := range certgen.TestPKIFiles() {
		fmt.Printf("wrote %s/%s.pem and %s-key.pem\n", *dir, base, base)
	}
}
