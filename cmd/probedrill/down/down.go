// Package down implements `probedrill down`: delete the cluster.
package down

import (
	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
)

type flagpole struct {
	Kubeconfig string
}

// NewCommand returns the down command.
func NewCommand(logger log.Logger, _ cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  cli.NoArgs,
		Use:   "down",
		Short: "Delete the probedrill cluster and its kubectl context",
		RunE: func(c *cobra.Command, _ []string) error {
			p := cluster.NewProvider(cluster.WithLogger(logger), cluster.WithKubeconfig(flags.Kubeconfig))
			return p.Down(c.Context())
		},
	}
	c.Flags().StringVar(&flags.Kubeconfig, "kubeconfig", "", "remove the context from this file instead of $KUBECONFIG or ~/.kube/config")
	return c
}
