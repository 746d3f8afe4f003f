// Command walkthrough will narrate a full TLS 1.2 handshake between a client
// and a server in one process. Until the handshake layer lands it says so.
package main

import "fmt"

func main() {
	fmt.Println("glasstls walkthrough: the handshake layer is not built yet.")
	fmt.Println("For now, `go test ./prf/` shows the TLS 1.2 PRF at work.")
}
