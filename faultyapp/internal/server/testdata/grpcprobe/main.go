// grpcprobe calls grpc.health.v1.Health/Check with grpc-go, the client the
// kubelet's gRPC prober uses (k8s.io/kubernetes pkg/probe/grpc), and prints
// the status. It is its own module, so that faultyapp's tests can check
// faultyapp against the real gRPC stack without grpc in the main go.mod.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: grpcprobe HOST:PORT")
		os.Exit(2)
	}
	conn, err := grpc.NewClient(os.Args[1],
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithUserAgent("kube-probe/1.37"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		fmt.Println("code:", status.Code(err))
		return
	}
	fmt.Println("status:", resp.GetStatus())
}
