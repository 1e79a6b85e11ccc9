// Command pause is the pod sandbox's init process, a Go port of Kubernetes'
// build/pause/linux/pause.c: it sleeps until SIGINT or SIGTERM (then exits
// 0) and, as PID 1 of a shared PID namespace, reaps orphaned children.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is the tag kubeadm expects for the sandbox image.
const version = "3.10.2"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Println("pause.go", version)
		return
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "Warning: pause should be the first process")
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range sigs {
		if sig == syscall.SIGCHLD {
			reap()
			continue
		}
		fmt.Fprintf(os.Stderr, "Shutting down, got signal: %v\n", sig)
		return
	}
}

// reap collects every exited child without blocking.
func reap() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
