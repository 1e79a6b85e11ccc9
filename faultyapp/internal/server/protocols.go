package server

import "net/http"

// Protocols are HTTP/1.1 and unencrypted HTTP/2 with prior knowledge (h2c)
// on the same port: the net/http server tells them apart by the HTTP/2
// preface. Kubelet HTTP probes speak HTTP/1.1; gRPC probes speak h2c.
func Protocols() *http.Protocols {
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	return &p
}
