// Command kube is a multi-call binary in the spirit of the old hyperkube: one
// static executable that runs kubeadm, kubelet, kubectl and the control-plane
// components, chosen by the name it is invoked as (a symlink per component)
// or by its first argument ("kube kubelet --help").
//
// One binary instead of seven shares ~all of its code between components, so
// the node image carries one copy and the four component images share one
// layer. Each component is built exactly as its own main in
// k8s.io/kubernetes v1.37.2 cmd/<name>/<name>.go builds it.
package main

import (
	"context"
	"fmt"
	"os"

	_ "time/tzdata" // kube-apiserver and kube-controller-manager: CronJob time zones

	_ "k8s.io/client-go/plugin/pkg/client/auth" // kubectl: auth plugins
	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	_ "k8s.io/component-base/logs/json/register"          // JSON log format
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubeadm "k8s.io/kubernetes/cmd/kubeadm/app"
	kubeadmerrors "k8s.io/kubernetes/cmd/kubeadm/app/util/errors"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"

	"github.com/probedrill/probedrill/images/kube/dispatch"
)

// components maps each name to a function that runs it like its upstream
// main and returns the process exit code.
var components = map[string]func() int{
	"kube-apiserver": func() int { return cli.Run(apiserver.NewAPIServerCommand()) },
	"kube-controller-manager": func() int {
		return cli.Run(controllermanager.NewControllerManagerCommand())
	},
	"kube-scheduler": func() int { return cli.Run(scheduler.NewSchedulerCommand()) },
	"kube-proxy":     func() int { return cli.Run(proxy.NewProxyCommand()) },
	"kubelet":        func() int { return cli.Run(kubelet.NewKubeletCommand(context.Background())) },
	"kubeadm": func() int {
		kubeadmerrors.HandleError(kubeadm.Run()) // exits non-zero itself on error
		return 0
	},
	"kubectl": func() int {
		logs.GlogSetter(kubectlcmd.GetLogVerbosity(os.Args)) //nolint:errcheck // as upstream
		if err := cli.RunNoErrOutput(kubectlcmd.NewDefaultKubectlCommand()); err != nil {
			kubectlutil.CheckErr(err) // prints and exits
		}
		return 0
	},
}

func main() {
	name, args, err := dispatch.Resolve(os.Args, components)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// The components parse os.Args themselves (cobra, kubectl's verbosity).
	os.Args = args
	os.Exit(components[name]())
}
