// Command coredns is CoreDNS v1.14.6 with only the plugins that kubeadm's
// Corefile uses (k8s.io/kubernetes v1.37.2
// cmd/kubeadm/app/phases/addons/dns/manifests.go). Upstream's main imports
// core/plugin, which links every plugin, the cloud SDKs of route53, azure
// and clouddns among them: that build took 705 s here.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

// directives is upstream's plugin order (core/dnsserver/zdirectives.go,
// generated from plugin.cfg) restricted to the plugins linked above; the
// order decides how a query flows through the chain.
var directives = []string{
	"reload",
	"ready",
	"health",
	"prometheus",
	"errors",
	"log",
	"loadbalance",
	"cache",
	"kubernetes",
	"loop",
	"forward",
}

func main() {
	dnsserver.Directives = directives
	coremain.Run()
}
