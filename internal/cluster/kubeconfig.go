package cluster

import (
	"bytes"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// exportKubeconfig merges the cluster's context into the user's kubeconfig
// (kind's rules: the explicit path, else $KUBECONFIG, else ~/.kube/config)
// unless it is there already with the same server and credentials. kind's
// export reads everything from the nodes again (~3 s with docker exec here),
// which a warm `up` need not pay.
func (p *Provider) exportKubeconfig(fresh string) error {
	if current(p.kubeconfig, fresh) {
		return nil
	}
	return p.kind(p.logger).ExportKubeConfig(Name, p.kubeconfig, false)
}

// current reports whether the kubeconfig at path (kubectl's rules when "")
// already holds the context in fresh, pointing at the same server with the
// same credentials, and selects it.
func current(path, fresh string) bool {
	want, err := clientcmd.Load([]byte(fresh))
	if err != nil {
		return false
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = path
	have, err := rules.Load()
	if err != nil || have.CurrentContext != Context {
		return false
	}
	return sameContext(have, want, Context)
}

func sameContext(have, want *clientcmdapi.Config, name string) bool {
	hc, wc := have.Contexts[name], want.Contexts[name]
	if hc == nil || wc == nil {
		return false
	}
	hcl, wcl := have.Clusters[hc.Cluster], want.Clusters[wc.Cluster]
	hu, wu := have.AuthInfos[hc.AuthInfo], want.AuthInfos[wc.AuthInfo]
	return hcl != nil && wcl != nil && hu != nil && wu != nil &&
		hcl.Server == wcl.Server &&
		bytes.Equal(hcl.CertificateAuthorityData, wcl.CertificateAuthorityData) &&
		bytes.Equal(hu.ClientCertificateData, wu.ClientCertificateData) &&
		bytes.Equal(hu.ClientKeyData, wu.ClientKeyData)
}
