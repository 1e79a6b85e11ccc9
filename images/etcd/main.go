// Command etcd is etcd v3.7.0's server, built from the Go module proxy: the
// upstream binary's main is exactly this call.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
