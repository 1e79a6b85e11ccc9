package predictdoc

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/probedrill/probedrill/internal/calibration"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// schemaFile is the schema docs/predict.md documents.
const schemaFile = "../../docs/predict.schema.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaFile, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	return s
}

// validate checks JSON text against the schema.
func validate(s *jsonschema.Schema, data []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

func document(t *testing.T, s *scenarios.Scenario, k predict.Kubelet) []byte {
	t.Helper()
	p, err := predict.Predict(s, k)
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(s, "", k, calibration.Envelope, p, p.Horizon)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, cli.FormatJSON, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Every catalog scenario's document is valid under the documented schema,
// and its windows hold their nominal times in order; also with a removal
// allowed, where some hold-backs may state another back-off.
func TestCatalogDocumentsFollowTheSchema(t *testing.T) {
	schema := compileSchema(t)
	all, err := scenarios.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []predict.Kubelet{{}, {Removals: 1}} {
		others := 0
		for _, s := range all {
			data := document(t, s, k)
			if err := validate(schema, data); err != nil {
				t.Errorf("%s (removals %d): %v", s.Name, k.Removals, err)
				continue
			}
			var d Document
			if err := json.Unmarshal(data, &d); err != nil {
				t.Fatal(err)
			}
			for _, e := range d.Entries {
				if e.EarliestSeconds > e.AtSeconds || e.AtSeconds > e.LatestSeconds {
					t.Errorf("%s: %s #%d at %g outside %g…%g", s.Name, e.Kind, e.Instance, e.AtSeconds, e.EarliestSeconds, e.LatestSeconds)
				}
				others += len(e.Cause.OtherBackOffSeconds)
			}
		}
		if (others > 0) != (k.Removals > 0) {
			t.Errorf("removals %d: %d other back-offs stated", k.Removals, others)
		}
	}
}

// The schema is not a rubber stamp: it refuses what the document must not
// say.
func TestSchemaRefusesWrongDocuments(t *testing.T) {
	schema := compileSchema(t)
	s, err := scenarios.Get("classroom-fast")
	if err != nil {
		t.Fatal(err)
	}
	good := string(document(t, s, predict.Kubelet{}))
	for name, edit := range map[string]func(string) string{
		"an unknown field":       func(d string) string { return strings.Replace(d, `"version": 1,`, `"version": 1, "extra": true,`, 1) },
		"another schema version": func(d string) string { return strings.Replace(d, `"version": 1,`, `"version": 2,`, 1) },
		"a kill with a start's cause": func(d string) string {
			return strings.Replace(d, `"code": "failure-threshold"`, `"code": "first-start"`, 1)
		},
		"a probe failure without its probe": func(d string) string { return strings.Replace(d, `"probe": "liveness",`, ``, 1) },
		"an unknown entry kind":             func(d string) string { return strings.Replace(d, `"kind": "Killing"`, `"kind": "Exploded"`, 1) },
	} {
		bad := edit(good)
		if bad == good {
			t.Fatalf("%s: the edit changed nothing", name)
		}
		if err := validate(schema, []byte(bad)); err == nil {
			t.Errorf("the schema accepts %s", name)
		}
	}
}

// The golden file is classroom-fast's document, reviewed by hand: a change
// in the model or the format shows as a diff here.
func TestGoldenClassroomFast(t *testing.T) {
	s, err := scenarios.Get("classroom-fast")
	if err != nil {
		t.Fatal(err)
	}
	got := document(t, s, predict.Kubelet{})
	path := filepath.Join("testdata", "classroom-fast.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/predictdoc -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test ./internal/predictdoc -update rewrites it):\n%s", path, diff)
	}
}
