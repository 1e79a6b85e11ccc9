package scenarios

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// FuzzParse: no input may panic the loader, and whatever it accepts must
// survive a round trip (marshal, parse again) unchanged, so the manifests
// and reports built from a scenario say what the file said.
// Run: go test ./scenarios -run '^$' -fuzz FuzzParse -fuzztime 5m
func FuzzParse(f *testing.F) {
	for _, name := range Names() {
		data, err := catalogFS.ReadFile("catalog/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name+".yaml", data)
	}
	f.Add("mine.yaml", []byte(minimal))
	f.Add("", []byte("{}"))
	f.Fuzz(func(t *testing.T, file string, data []byte) {
		s, err := parseWithin(t, file, data, 5*time.Second)
		if err != nil {
			_ = err.Error() // building the message must not panic either
			return
		}
		out, err := yaml.Marshal(s)
		if err != nil {
			t.Fatalf("marshal an accepted scenario: %v", err)
		}
		again, err := Parse(file, out)
		if err != nil {
			t.Fatalf("the marshalled scenario does not parse: %v\n%s", err, out)
		}
		if d := cmp.Diff(s, again); d != "" {
			t.Fatalf("round trip changed the scenario (-first +second):\n%s", d)
		}
	})
}

// parseWithin fails the fuzz run when Parse takes too long: the fuzzer
// cannot tell a hang from slow progress, so a slow input is a crasher too.
func parseWithin(t *testing.T, file string, data []byte, limit time.Duration) (*Scenario, error) {
	type result struct {
		s   *Scenario
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := Parse(file, data)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-time.After(limit):
		t.Fatalf("Parse(%q) took more than %s on:\n%q", file, limit, data)
		return nil, nil
	}
}
