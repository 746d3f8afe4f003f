// Command gencerts regenerates the test PKI in the repository's testdata
// directory. Run it from the module root:
//
//	go run ./internal/certgen/gencerts [-dir testdata]
//
// Every run makes new keys, so all files change together; commit them as a
// set. With -add, only the named leaves are made, issued by the root
// already in the directory:
//
//	go run ./internal/certgen/gencerts -add server-ed25519,client-ed25519
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/glasstls/glasstls/internal/certgen"
)

func main() {
	dir := flag.String("dir", "testdata", "directory to write the PEM files into")
	add := flag.String("add", "", "comma-separated leaves to add with the existing root, leaving the rest as it is")
	flag.Parse()
	if *add != "" {
		bases := strings.Split(*add, ",")
		if err := certgen.AddTestPKILeaves(*dir, bases...); err != nil {
			fmt.Fprintln(os.Stderr, "gencerts:", err)
			os.Exit(1)
		}
		for _, base := range bases {
			fmt.Printf("wrote %s/%s.pem and %s-key.pem\n", *dir, base, base)
		}
		return
	}
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
