package main

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"get"}, {"lookup", "a", "b"}, {"serve", "a", "b"}} {
		if err := run(args, &bytes.Buffer{}); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want usage error", args, err)
		}
	}
}

func TestGetReportsHostnameAndCaller(t *testing.T) {
	srv := httptest.NewServer(handler("pod-a"))
	defer srv.Close()
	var out bytes.Buffer
	if err := run([]string{"get", srv.URL}, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "pod-a 127.0.0.1:") {
		t.Fatalf("body = %q, want hostname then caller address", got)
	}
}

func TestLookupLocalhost(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"lookup", "localhost"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "127.0.0.1") && !strings.Contains(out.String(), "::1") {
		t.Fatalf("lookup localhost = %q", out.String())
	}
}
