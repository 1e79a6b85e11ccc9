// Command nettest is a tiny static network probe for checking a cluster's
// pod network from inside pods (the node images carry no shell or busybox):
//
//	nettest serve [ADDR]     HTTP server answering "<hostname> <remote addr>" (default :8080)
//	nettest get URL          GET URL, print the body; non-zero exit on failure
//	nettest lookup NAME      resolve NAME with the pod's resolver, print the addresses
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nettest:", err)
		os.Exit(1)
	}
}
